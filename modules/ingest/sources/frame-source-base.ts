import type { Clock } from '@trinetra/shared';
import type { FrameSource, FrameSourceListener, SourceKind, SourceStatus, SourceStatusChange } from '../domain/frame-source';
import type { SourceFrame } from '../domain/source-frame';

/** Listener bookkeeping and status transitions shared by every source adapter. */
export abstract class FrameSourceBase implements FrameSource {
  abstract readonly kind: SourceKind;
  private readonly listeners = new Set<FrameSourceListener>();
  private currentStatus: SourceStatus = 'idle';
  protected paused = false;

  constructor(
    readonly cameraId: string,
    protected readonly clock: Clock,
  ) {}

  get status(): SourceStatus {
    return this.currentStatus;
  }

  subscribe(listener: FrameSourceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.onResume();
  }

  /** Hook for adapters that must restart their loop on resume. */
  protected onResume(): void {}

  protected setStatus(to: SourceStatus, extra: Omit<SourceStatusChange, 'cameraId' | 'from' | 'to' | 'at'> = {}): void {
    const from = this.currentStatus;
    if (from === to && to !== 'reconnecting') return;
    this.currentStatus = to;
    const change: SourceStatusChange = { cameraId: this.cameraId, from, to, at: this.clock.now(), ...extra };
    for (const l of this.listeners) {
      try {
        l.onStatus?.(change);
      } catch {
        // A faulty listener must not break the source loop (its owner logs its own faults).
      }
    }
  }

  protected emitFrame(frame: SourceFrame): void {
    for (const l of this.listeners) {
      try {
        l.onFrame?.(frame);
      } catch {
        // Same as above: listener faults stay with the listener.
      }
    }
  }
}
