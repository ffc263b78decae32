/**
 * Ground contact of the feet from ankle height and vertical speed, with hysteresis.
 *
 * Two height thresholds (lift-off above `liftOffM`, touch-down below `touchDownM`) stop
 * keypoint jitter around one threshold from flickering the state; the speed limit stops a foot
 * that sweeps low and fast (the last frame before landing) from counting as contact. Frames
 * without an ankle keep the previous state: a short gap neither lands nor lifts the athlete.
 */

/** Options of {@link FootContactDetector}; heights in metres above the ground, speeds in m/s. */
export interface FootContactOptions {
  /**
   * Height above which a foot in contact is airborne; default 0.04 m. Lower catches lower hops
   * but lets keypoint noise (~1 cm at a few pixels) lift the athlete.
   */
  readonly liftOffM?: number;
  /** Height below which an airborne foot may touch down; default 0.02 m (must be < liftOffM). */
  readonly touchDownM?: number;
  /** Faster than this (either way) an airborne foot does not touch down yet; default 1.0 m/s. */
  readonly maxContactSpeedMps?: number;
}

/** A run of frames [start, end] (inclusive) in one state. */
export interface FrameInterval {
  readonly start: number;
  readonly end: number;
}

/** Per-frame contact and the runs of contact and flight. */
export interface FootContacts {
  readonly inContact: readonly boolean[];
  readonly contacts: readonly FrameInterval[];
  readonly flights: readonly FrameInterval[];
}

export class FootContactDetector {
  private readonly liftOffM: number;
  private readonly touchDownM: number;
  private readonly maxContactSpeedMps: number;

  constructor(options: FootContactOptions = {}) {
    this.liftOffM = options.liftOffM ?? 0.04;
    this.touchDownM = options.touchDownM ?? 0.02;
    this.maxContactSpeedMps = options.maxContactSpeedMps ?? 1.0;
    if (!(this.touchDownM < this.liftOffM)) throw new RangeError(`touchDownM (${this.touchDownM}) must be below liftOffM (${this.liftOffM})`);
    if (!(this.maxContactSpeedMps > 0)) throw new RangeError(`maxContactSpeedMps must be positive, got ${this.maxContactSpeedMps}`);
  }

  /** Classifies every frame; the sequence is assumed to start in contact. */
  detect(ankleHeightM: ArrayLike<number>, ankleVelocityMps: ArrayLike<number>): FootContacts {
    const inContact: boolean[] = [];
    let contact = true;
    for (let i = 0; i < ankleHeightM.length; i += 1) {
      const h = ankleHeightM[i] ?? Number.NaN;
      const v = ankleVelocityMps[i] ?? Number.NaN;
      if (Number.isFinite(h)) {
        if (contact && h > this.liftOffM) contact = false;
        else if (!contact && h < this.touchDownM && !(Math.abs(v) > this.maxContactSpeedMps)) contact = true;
      }
      inContact.push(contact);
    }
    return { inContact, contacts: runs(inContact, true), flights: runs(inContact, false) };
  }
}

function runs(states: readonly boolean[], wanted: boolean): FrameInterval[] {
  const out: FrameInterval[] = [];
  let start = -1;
  states.forEach((s, i) => {
    if (s === wanted && start < 0) start = i;
    if (s !== wanted && start >= 0) {
      out.push({ start, end: i - 1 });
      start = -1;
    }
  });
  if (start >= 0) out.push({ start, end: states.length - 1 });
  return out;
}
