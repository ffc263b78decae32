/**
 * Pixels to metres, from the athlete's stature.
 *
 * A single camera gives no depth, so the scale comes from something of known size in the
 * image: the athlete. The nose-to-ankle distance of the extended body is a fixed fraction of
 * stature (Winter, "Biomechanics and Motor Control of Human Movement", segment landmarks:
 * nose ~0.92 H, lateral malleolus 0.039 H). We take the 90th percentile of that distance over
 * the sequence (the athlete stands or flies extended in most analysed clips; crouched frames
 * are shorter and fall below it).
 *
 * What depends on it: contact thresholds (metres above the ground) and displacement metrics
 * (countermovement depth). Jump height by the flight-time method does not: h = g T^2 / 8 needs
 * only time. The scale assumes the athlete moves in a plane square to the camera; a camera
 * looking down or from far off-axis shortens the body and inflates distances.
 */

/** Fractions of stature of the body landmarks we use (Winter's anthropometric table). */
export const LANDMARK_HEIGHT_FRACTION = {
  nose: 0.92,
  shoulder: 0.818,
  hip: 0.53,
  knee: 0.285,
  ankle: 0.039,
} as const;

/** Nose-to-ankle distance of the extended body as a fraction of stature. */
export const NOSE_TO_ANKLE_FRACTION = LANDMARK_HEIGHT_FRACTION.nose - LANDMARK_HEIGHT_FRACTION.ankle;

/** What the analysis knows about the athlete. */
export interface AthleteProfile {
  /** Standing height, metres (0.9 to 2.5). */
  readonly heightM: number;
}

/** Metres per pixel, or null when no frame shows both nose and ankles. */
export function metresPerPixel(noseToAnklePx: ArrayLike<number>, athlete: AthleteProfile): number | null {
  if (!(athlete.heightM >= 0.9 && athlete.heightM <= 2.5)) throw new RangeError(`athlete height must be 0.9..2.5 m, got ${athlete.heightM}`);
  const extended = percentile(noseToAnklePx, 0.9);
  if (extended === null || extended <= 0) return null;
  return (athlete.heightM * NOSE_TO_ANKLE_FRACTION) / extended;
}

/** The q-quantile (0..1) of the finite values, or null when there are none. */
export function percentile(values: ArrayLike<number>, q: number): number | null {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] ?? Number.NaN;
    if (Number.isFinite(v)) finite.push(v);
  }
  if (finite.length === 0) return null;
  finite.sort((a, b) => a - b);
  const pos = q * (finite.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = finite[lo] ?? 0;
  const b = finite[hi] ?? a;
  return a + (b - a) * (pos - lo);
}
