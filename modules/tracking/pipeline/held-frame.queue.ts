import type { SubmitOutcome } from '../domain/supervision';

/** The part of a frame source the queue drives. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

/**
 * Never-drop submission, the one implementation for live cameras and batch videos: a frame the
 * control plane pushes back (`backpressure`) is held, the source is paused, and after
 * `retryAfterMs` the held frames are resubmitted oldest first. New frames queue behind held
 * ones, because a paused source may still deliver the few frames it had already decoded and
 * order must hold. The source resumes once nothing is held.
 */
export class HeldFrameQueue<F> {
  private readonly held: F[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  /**
   * @param submit offers one frame to the control plane (and counts it, for the caller).
   * @param source paused while frames are held; null for producers that cannot pause.
   * @param onDrained called after a retry emptied the queue (batch completion checks it).
   */
  constructor(
    private readonly submit: (frame: F) => SubmitOutcome,
    private readonly source: PausableSource | null,
    private readonly onDrained: () => void = () => undefined,
  ) {}

  /** Frames waiting for a retry. */
  get size(): number {
    return this.held.length;
  }

  offer(frame: F): void {
    if (this.closed) return;
    if (this.held.length > 0) this.held.push(frame);
    else this.trySubmit(frame);
  }

  /** Stops retrying; held frames are abandoned (the camera or job is going away). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private trySubmit(frame: F): boolean {
    const outcome = this.submit(frame);
    if (outcome.status !== 'backpressure') return true;
    this.held.unshift(frame);
    this.source?.pause();
    this.timer = setTimeout(() => this.retry(), outcome.retryAfterMs);
    return false;
  }

  private retry(): void {
    this.timer = null;
    if (this.closed) return;
    while (this.held.length > 0) {
      if (!this.trySubmit(this.held.shift() as F)) return;
    }
    this.source?.resume();
    this.onDrained();
  }
}
