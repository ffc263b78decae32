/** GraphQL documents and types of the Analyses page (coaching motion analyses; align with the server schema). */
import { gql } from 'urql';

export type Sport = 'CMJ' | 'DROP_JUMP' | 'SQUAT' | 'RUNNING';
export type AnalysisStatus = 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';

export interface SportInfo {
  sport: Sport;
  title: string;
  eventKind: string;
  minimumFps: number;
  cameraSetup: string;
  plotSignal: string;
  metrics: { key: string; unit: string; description: string; scope: string }[];
}

export interface MetricValue {
  key: string;
  value: number | null;
  unit: string;
}

export interface AnalysisEvent {
  kind: string;
  index: number;
  startS: number;
  endS: number;
  confidence: number;
  values: MetricValue[];
}

export interface Analysis {
  id: string;
  sport: Sport;
  status: AnalysisStatus;
  reason: string | null;
  reasonDetail: string | null;
  progress: number;
  trackId: number | null;
  trackChoice: string | null;
  candidateTrackIds: number[];
  fps: number | null;
  frameCount: number | null;
  createdAt: string;
  source: { kind: string; filename: string | null };
  metrics: MetricValue[];
  phases: { name: string; startS: number; endS: number }[];
  flags: { check: string; observed: number; limit: number; unit: string }[];
  signal: { name: string; unit: string; fps: number; values: (number | null)[] } | null;
  results: AnalysisEvent[];
}

const ANALYSIS_FIELDS = `
  id sport status reason reasonDetail progress trackId trackChoice candidateTrackIds fps frameCount createdAt
  source { kind filename }
  metrics { key value unit }
  phases { name startS endS }
  flags { check observed limit unit }
  signal { name unit fps values }
  results { kind index startS endS confidence values { key value unit } }
`;

export const SPORTS_QUERY = gql`
  query Sports {
    sports { sport title eventKind minimumFps cameraSetup plotSignal metrics { key unit description scope } }
  }
`;
export interface SportsResult {
  sports: SportInfo[];
}

export const ANALYSES_QUERY = gql`
  query Analyses($first: Int!) {
    analyses(first: $first) { edges { node { id sport status reason progress createdAt source { kind filename } } } }
  }
`;
export interface AnalysesResult {
  analyses: { edges: { node: Pick<Analysis, 'id' | 'sport' | 'status' | 'reason' | 'progress' | 'createdAt' | 'source'> }[] };
}

export const ANALYSIS_QUERY = gql`
  query Analysis($id: ID!) {
    analysis(id: $id) { ${ANALYSIS_FIELDS} }
  }
`;
export interface AnalysisResult {
  analysis: Analysis;
}

export const CREATE_ANALYSIS_MUTATION = gql`
  mutation CreateAnalysis($input: CreateAnalysisInput!) {
    createAnalysis(input: $input) { id status }
  }
`;
export interface CreateAnalysisResult {
  createAnalysis: { id: string; status: AnalysisStatus };
}

export const ANALYSIS_PROGRESS_SUBSCRIPTION = gql`
  subscription AnalysisProgress($analysisId: ID) {
    analysisProgress(analysisId: $analysisId) { analysisId status stage progress }
  }
`;
export interface AnalysisProgressResult {
  analysisProgress: { analysisId: string; status: AnalysisStatus; stage: string; progress: number };
}

export const ANALYSIS_COMPLETED_SUBSCRIPTION = gql`
  subscription AnalysisCompleted($analysisId: ID) {
    analysisCompleted(analysisId: $analysisId) { ${ANALYSIS_FIELDS} }
  }
`;
export interface AnalysisCompletedResult {
  analysisCompleted: Analysis;
}

export const METRIC_UPDATED_SUBSCRIPTION = gql`
  subscription MetricUpdated($analysisId: ID) {
    metricUpdated(analysisId: $analysisId) { analysisId sport trackId at event { kind index startS endS confidence values { key value unit } } }
  }
`;
export interface MetricUpdatedResult {
  metricUpdated: { analysisId: string; sport: Sport; trackId: number; at: string; event: AnalysisEvent };
}
