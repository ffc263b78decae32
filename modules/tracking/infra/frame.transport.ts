import type { FrameReport } from '@trinetra/gpu-worker';
import type { DispatchFrame } from '../domain/supervision';

/** One micro-batch on its way to the worker pool. */
export interface OutgoingBatch {
  batchId: string;
  frames: readonly DispatchFrame[];
}

/** What the control plane needs from a job transport; the BullMQ one is the production adapter. */
export interface FrameTransport {
  /** Stores the frames' bytes and enqueues the batch; rejects when it could not. */
  send(batch: OutgoingBatch): Promise<void>;
  /** Starts delivering worker reports (in arrival order) until `close`. Faults go to `onError`; the transport keeps trying. */
  start(onReports: (reports: FrameReport[]) => void, onError: (error: Error) => void): void;
  close(): Promise<void>;
}
