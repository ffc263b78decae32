/** GraphQL documents and types of the Batch jobs page (docs/batch-jobs.md). */
import { gql } from 'urql';
import type { VideoJobWarningCode } from '../../lib/generated/graphql';

export const IMPORT_MANIFEST_MUTATION = gql`
  mutation ImportManifest($input: ImportManifestInput!) {
    importManifest(input: $input) {
      manifestId name encoding delimiter jobs queued duplicates missing malformed
      problems { line kind message jobId duplicateOfJobId }
    }
  }
`;

export interface ManifestImportResult {
  importManifest: {
    manifestId: string;
    name: string;
    delimiter: string;
    jobs: number;
    queued: number;
    duplicates: number;
    missing: number;
    malformed: number;
    problems: Array<{ line: number; kind: string; message: string; jobId: string | null; duplicateOfJobId: string | null }>;
  };
}

export const VIDEO_JOBS_QUERY = gql`
  query VideoJobs($first: Int!, $after: String) {
    videoJobs(first: $first, after: $after) {
      edges { node { id manifestId line filename status error frameCount quality duplicateOfId outputUrl warnings { code message } startedAt finishedAt } }
      pageInfo { hasNextPage endCursor }
    }
    videoJobCounts { queued processing done failed missingFile total finished }
  }
`;

export interface VideoJob {
  id: string;
  manifestId: string;
  line: number;
  filename: string;
  status: string;
  error: string | null;
  frameCount: number | null;
  quality: number | null;
  duplicateOfId: string | null;
  /** A signed link on the API server, valid 15 minutes (refetched with the list). */
  outputUrl: string | null;
  warnings: Array<{ code: VideoJobWarningCode; message: string }>;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface VideoJobCounts {
  queued: number;
  processing: number;
  done: number;
  failed: number;
  missingFile: number;
  total: number;
  finished: boolean;
}

export interface VideoJobsResult {
  videoJobs: { edges: Array<{ node: VideoJob }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  videoJobCounts: VideoJobCounts;
}

export const VIDEO_JOB_PROGRESS_SUBSCRIPTION = gql`
  subscription VideoJobProgress {
    videoJobProgress { kind jobId status frames totalFrames error at }
  }
`;

export interface VideoJobProgressEvent {
  kind: 'STARTED' | 'FRAMES' | 'FINISHED';
  jobId: string;
  status: string;
  frames: number | null;
  totalFrames: number | null;
  error: string | null;
  at: string;
}

export interface VideoJobProgressResult {
  videoJobProgress: VideoJobProgressEvent;
}
