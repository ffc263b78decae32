import { ByteTracker, type ByteTrackerOptions, type TrackerSnapshot } from './byte-tracker';
import { MotError } from './mot.error';

/**
 * Where per-camera tracker state is checkpointed so that tracks keep their ids across a
 * server restart shorter than the checkpoint's lifetime. Implementations: Redis (production),
 * memory (tests).
 */
export interface TrackerCheckpointStore {
  /**
   * Saves (replaces) the camera's snapshot and restarts its time to live. With `fence` (the
   * writer's camera lease holder, docs/ARCHITECTURE.md "Camera ownership across replicas") the
   * write happens only while that lease still holds, else it throws `CHECKPOINT_FENCED`.
   */
  save(cameraId: string, snapshot: TrackerSnapshot, fence?: string): Promise<void>;
  /** The camera's snapshot as stored (unvalidated), or undefined when absent or expired. */
  load(cameraId: string): Promise<unknown>;
  delete(cameraId: string): Promise<void>;
}

/** Result of {@link restoreTracker}. */
export interface RestoredTracker {
  readonly tracker: ByteTracker;
  /** `restored`: from a checkpoint; `fresh`: none found; `discarded`: one was found but invalid. */
  readonly origin: 'restored' | 'fresh' | 'discarded';
}

/**
 * The camera's tracker from its checkpoint, or a fresh one when there is none or it does not
 * validate (a corrupt checkpoint must not stop the camera; the caller can log `discarded`).
 * Store failures propagate.
 */
export async function restoreTracker(store: TrackerCheckpointStore, cameraId: string, options: ByteTrackerOptions = {}): Promise<RestoredTracker> {
  const snapshot = await store.load(cameraId);
  if (snapshot === undefined) return { tracker: new ByteTracker(options), origin: 'fresh' };
  try {
    return { tracker: ByteTracker.fromSnapshot(snapshot, options), origin: 'restored' };
  } catch (err) {
    if (err instanceof MotError) return { tracker: new ByteTracker(options), origin: 'discarded' };
    throw err;
  }
}
