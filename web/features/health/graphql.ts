/** GraphQL documents and types of pipeline health (align with the server schema here). */
import { gql } from 'urql';

export const PIPELINE_HEALTH_QUERY = gql`
  query PipelineHealth {
    pipelineHealth {
      breakerState
      cameras {
        cameraId admitted delivered inFlight dropped
        dropsByReason { reason count }
        fpsIn fpsOut bufferFill
        latency { stage p50 p90 p99 }
        framesWithoutPeople noDetectionWarning
      }
    }
  }
`;

export interface LatencyQuantiles { stage: string; p50: number | null; p90: number | null; p99: number | null }

export interface CameraHealth {
  cameraId: string;
  admitted: number;
  delivered: number;
  inFlight: number;
  dropped: number;
  dropsByReason: Array<{ reason: string; count: number }>;
  fpsIn: number;
  fpsOut: number;
  /** Fill of the pending buffer, 0..1. */
  bufferFill: number;
  latency: LatencyQuantiles[];
  /** Processed frames in a row with nobody detected. */
  framesWithoutPeople: number;
  /** "No one detected" with a hint, after long enough: the camera is then not healthy. */
  noDetectionWarning: string | null;
}

export interface PipelineHealthResult {
  pipelineHealth: { breakerState: string; cameras: CameraHealth[] };
}

const EVENT_FIELDS = 'id at kind cameraId seq reason breakerFrom breakerTo message';

export const PIPELINE_EVENTS_QUERY = gql`
  query PipelineEvents($cameraId: ID, $last: Int) {
    pipelineEvents(cameraId: $cameraId, last: $last) { ${EVENT_FIELDS} }
  }
`;

export const PIPELINE_EVENT_ADDED_SUBSCRIPTION = gql`
  subscription PipelineEventAdded {
    pipelineEventAdded { ${EVENT_FIELDS} }
  }
`;

export interface PipelineEvent {
  /** Increases by one per event. */
  id: number | string;
  kind: string;
  breakerFrom: string | null;
  breakerTo: string | null;
  cameraId: string | null;
  reason: string | null;
  seq: number | null;
  at: string | number;
  message: string | null;
}

export interface PipelineEventsResult { pipelineEvents: PipelineEvent[] }
export interface PipelineEventAddedResult { pipelineEventAdded: PipelineEvent }
