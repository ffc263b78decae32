import { QuantileSketch } from './quantile-sketch';

/** The measured stages of a frame's path. */
export const LATENCY_STAGES = [
  /** Admission to dispatch. */
  'buffer_wait',
  /** Dispatch to the start of inference (Redis, BullMQ, worker pickup). */
  'queue',
  /** Inference as the worker measured it. */
  'inference',
  /** Capture (or admission) to delivery to the tracker. */
  'end_to_end',
] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];

/** Quantiles of one stage in milliseconds (null when nothing was recorded in the window). */
export interface StageLatency {
  stage: LatencyStage;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  count: number;
}

const STAGE_COUNT = LATENCY_STAGES.length;

class WindowedSketches {
  current = LATENCY_STAGES.map(() => new QuantileSketch());
  previous = LATENCY_STAGES.map(() => new QuantileSketch());
  windowStart: number;
  constructor(now: number) {
    this.windowStart = now;
  }
}

/**
 * Streaming p50/p90/p99 per stage, per camera and overall, over a sliding window: values go to
 * the current window, quantiles are read from the current and the previous window merged, so
 * figures cover between one and two windows and old incidents age out.
 */
export class LatencyTelemetry {
  private readonly perCamera = new Map<string, WindowedSketches>();
  private readonly overall: WindowedSketches;
  private readonly listeners: Array<(stageIndex: number, valueMs: number) => void> = [];

  /** @param windowMs length of one window (default 60 s); quantiles cover 1-2 windows. */
  constructor(
    now: number,
    private readonly windowMs = 60_000,
  ) {
    this.overall = new WindowedSketches(now);
  }

  record(cameraId: string, stageIndex: number, valueMs: number, now: number): void {
    let sketches = this.perCamera.get(cameraId);
    if (sketches === undefined) {
      sketches = new WindowedSketches(now);
      this.perCamera.set(cameraId, sketches);
    }
    this.rotate(sketches, now);
    this.rotate(this.overall, now);
    (sketches.current[stageIndex] as QuantileSketch).add(valueMs);
    (this.overall.current[stageIndex] as QuantileSketch).add(valueMs);
    for (const listener of this.listeners) listener(stageIndex, valueMs);
  }

  /**
   * Also hands every recorded value to `listener` (no camera id: it is for cumulative,
   * process-wide instruments such as Prometheus histograms, which windows cannot feed).
   */
  onRecord(listener: (stageIndex: number, valueMs: number) => void): void {
    this.listeners.push(listener);
  }

  forget(cameraId: string): void {
    this.perCamera.delete(cameraId);
  }

  /** Quantiles of every stage for one camera, or overall when `cameraId` is null. */
  snapshot(cameraId: string | null, now: number): StageLatency[] {
    const sketches = cameraId === null ? this.overall : this.perCamera.get(cameraId);
    if (sketches) this.rotate(sketches, now);
    return LATENCY_STAGES.map((stage, i) => {
      const merged = new QuantileSketch();
      if (sketches) {
        merged.merge(sketches.current[i] as QuantileSketch);
        merged.merge(sketches.previous[i] as QuantileSketch);
      }
      if (merged.count === 0) return { stage, p50: null, p90: null, p99: null, count: 0 };
      return { stage, p50: merged.quantile(0.5), p90: merged.quantile(0.9), p99: merged.quantile(0.99), count: merged.count };
    });
  }

  private rotate(sketches: WindowedSketches, now: number): void {
    if (now - sketches.windowStart < this.windowMs) return;
    const expiredBoth = now - sketches.windowStart >= 2 * this.windowMs;
    const recycled = sketches.previous;
    for (let i = 0; i < STAGE_COUNT; i += 1) (recycled[i] as QuantileSketch).clear();
    sketches.previous = expiredBoth ? recycled.map(() => new QuantileSketch()) : sketches.current;
    sketches.current = recycled;
    sketches.windowStart = now;
  }
}

/** Stage index for {@link LatencyTelemetry.record}, resolved once instead of per frame. */
export const STAGE_INDEX: Readonly<Record<LatencyStage, number>> = {
  buffer_wait: 0,
  queue: 1,
  inference: 2,
  end_to_end: 3,
};
