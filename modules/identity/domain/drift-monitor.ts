/** One camera's drift figures. */
export interface CameraDrift {
  cameraId: string;
  /** Mean similarity of accepted matches in the recent window (null: too few). */
  recentMean: number | null;
  recentSamples: number;
  /** Mean over the earlier windows kept (null: no history yet). */
  baselineMean: number | null;
  /** The recent mean fell more than `drop` below the baseline. */
  alert: boolean;
}

export interface DriftOptions {
  /** Width of one window. Default 1 h. */
  windowMs?: number;
  /** Windows kept as the baseline. Default 24. */
  baselineWindows?: number;
  /** Matches a window needs before its mean counts. Default 20. */
  minSamples?: number;
  /** Alert when the recent mean is this far below the baseline. Default 0.05. */
  drop?: number;
}

interface Window {
  start: number;
  sum: number;
  n: number;
}

/**
 * Watches the similarity of accepted matches per camera over time. A slow fall (a lens gets
 * dirty, lighting changes, the gallery ages) shows as accepted matches scoring lower than they
 * used to, long before they fall under the threshold and people go unrecognised. Only accepted
 * matches count, so strangers do not move it. Time comes from the caller (manual clock in tests).
 */
export class DriftMonitor {
  private readonly windows = new Map<string, Window[]>();
  private readonly windowMs: number;
  private readonly baselineWindows: number;
  private readonly minSamples: number;
  private readonly drop: number;

  constructor(options: DriftOptions = {}) {
    this.windowMs = options.windowMs ?? 3_600_000;
    this.baselineWindows = options.baselineWindows ?? 24;
    this.minSamples = options.minSamples ?? 20;
    this.drop = options.drop ?? 0.05;
  }

  record(cameraId: string, similarity: number, atMs: number): void {
    const start = Math.floor(atMs / this.windowMs) * this.windowMs;
    const list = this.windows.get(cameraId) ?? [];
    let last = list[list.length - 1];
    if (!last || last.start < start) {
      last = { start, sum: 0, n: 0 };
      list.push(last);
      while (list.length > this.baselineWindows + 1) list.shift();
    } else if (last.start > start) return; // out of order (late sighting): dropped rather than re-bucketed
    last.sum += similarity;
    last.n += 1;
    this.windows.set(cameraId, list);
  }

  report(): CameraDrift[] {
    return [...this.windows].map(([cameraId, list]) => {
      const recent = list[list.length - 1];
      const history = list.slice(0, -1).filter((w) => w.n >= this.minSamples);
      const recentOk = recent !== undefined && recent.n >= this.minSamples;
      const recentMean = recentOk ? recent.sum / recent.n : null;
      const baselineN = history.reduce((s, w) => s + w.n, 0);
      const baselineMean = history.length > 0 ? history.reduce((s, w) => s + w.sum, 0) / baselineN : null;
      return {
        cameraId,
        recentMean,
        recentSamples: recent?.n ?? 0,
        baselineMean,
        alert: recentMean !== null && baselineMean !== null && recentMean < baselineMean - this.drop,
      };
    });
  }
}
