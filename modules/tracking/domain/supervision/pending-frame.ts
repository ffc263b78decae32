import type { DispatchTier } from './camera-tier';
import type { HeapItem } from './indexed-min-heap';

/** Where a frame is in its life inside the control plane. */
export type FrameState = 'queued' | 'in_flight' | 'resolved' | 'done';

/**
 * One admitted frame held by the control plane until it is delivered or dropped. A class (not
 * an object literal) so every frame has the same hidden class; the intrusive links let the
 * buffer and the dispatch queue unlink a frame in O(1).
 */
export class PendingFrame<R> implements HeapItem {
  state: FrameState = 'queued';
  /** When the frame leaves the expiry heap; `Infinity` while it cannot expire. */
  expiresAt: number;
  result: R | null = null;
  dispatchedAt = 0;
  attempts = 0;
  batchId: string | null = null;
  /** Measured stages in milliseconds, filled as the frame moves. */
  bufferWaitMs = 0;
  queueMs = 0;
  inferenceMs = 0;
  heapIndex = -1;
  /** Links in the camera's sequence-ordered list. */
  seqPrev: PendingFrame<R> | null = null;
  seqNext: PendingFrame<R> | null = null;
  /** Links in the dispatch queue of its tier (only while `queued`). */
  queuePrev: PendingFrame<R> | null = null;
  queueNext: PendingFrame<R> | null = null;
  inQueue = false;
  /** Dispatched while the breaker was recovering: its outcome decides the breaker. */
  isProbe = false;

  constructor(
    readonly frameId: string,
    readonly cameraId: string,
    readonly seq: number,
    readonly tier: DispatchTier,
    /** The encoded image; released (set to null) once the frame leaves the control plane. */
    public image: Buffer | null,
    readonly capturedAt: number,
    readonly admittedAt: number,
    /** Absolute deadline in clock milliseconds; `Infinity` for never-drop tiers. */
    readonly deadline: number,
  ) {
    this.expiresAt = deadline;
  }
}
