import type { DropReason } from '@trinetra/shared';
import { ControlPlaneError, ControlPlaneErrorCode } from './control-plane.error';
import type { BreakerState } from './circuit-breaker';

/** The closed set of event kinds the control plane records. */
export const PIPELINE_EVENT_KINDS = [
  /** A frame left without reaching the tracker; `reason` says why. */
  'frame_dropped',
  /** A frame missed its deadline in flight (also counted as a drop with reason `deadline_missed`). */
  'deadline_missed',
  /** A result arrived for a frame already delivered or dropped (late or duplicate); it was discarded. */
  'orphaned_result',
  /** The worker-pool breaker changed state. */
  'breaker_transition',
  /** A never-drop camera's buffer was full and the source was asked to slow down (at most one per camera per second). */
  'backpressure',
  /** A never-drop frame whose worker did not answer within its lease was dispatched again. */
  'frame_redispatched',
  /** A batch failed (worker error, transport error); its frames were retried. */
  'batch_failed',
] as const;
export type PipelineEventKind = (typeof PIPELINE_EVENT_KINDS)[number];

/** One structured event. Flat, so it maps onto a GraphQL type without unions. */
export interface PipelineEvent {
  /** Increases by one per event (per control plane); lets clients detect gaps. */
  id: number;
  /** Clock milliseconds. */
  at: number;
  kind: PipelineEventKind;
  cameraId: string | null;
  seq: number | null;
  reason: DropReason | null;
  breakerFrom: BreakerState | null;
  breakerTo: BreakerState | null;
  message: string;
}

/** Fields a caller supplies; the log adds `id`. */
export type PipelineEventInput = Omit<PipelineEvent, 'id'>;

/** Filter of {@link PipelineEventLog.query}. */
export interface PipelineEventQuery {
  cameraId?: string | null;
  kinds?: readonly PipelineEventKind[] | null;
  /** Most events returned (the newest ones), oldest first. Default 50. */
  last?: number;
}

/**
 * A fixed-capacity ring buffer of the most recent events: appends are O(1) and memory never
 * grows; the oldest event is overwritten once full. Listeners see every event as it is added.
 */
export class PipelineEventLog {
  private readonly slots: (PipelineEvent | undefined)[];
  private nextId = 1;
  private readonly listeners = new Set<(event: PipelineEvent) => void>();

  /** @param capacity events kept (default 4096); older ones are overwritten. */
  constructor(readonly capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, `event log capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<PipelineEvent | undefined>(capacity);
  }

  /** Events ever appended (including overwritten ones). */
  get appended(): number {
    return this.nextId - 1;
  }

  get size(): number {
    return Math.min(this.appended, this.capacity);
  }

  append(input: PipelineEventInput): PipelineEvent {
    const event: PipelineEvent = { id: this.nextId, ...input };
    this.slots[(this.nextId - 1) % this.capacity] = event;
    this.nextId += 1;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not break the frame path.
      }
    }
    return event;
  }

  /** Newest matching events, at most `last`, returned oldest first. */
  query(filter: PipelineEventQuery = {}): PipelineEvent[] {
    const last = Math.max(0, Math.floor(filter.last ?? 50));
    const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null;
    const cameraId = filter.cameraId ?? null;
    const out: PipelineEvent[] = [];
    for (let id = this.nextId - 1; id >= 1 && id > this.nextId - 1 - this.capacity && out.length < last; id -= 1) {
      const event = this.slots[(id - 1) % this.capacity] as PipelineEvent;
      if (cameraId !== null && event.cameraId !== cameraId) continue;
      if (kinds !== null && !kinds.has(event.kind)) continue;
      out.push(event);
    }
    return out.reverse();
  }

  /** Subscribes to new events; returns the unsubscribe function. */
  subscribe(listener: (event: PipelineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
