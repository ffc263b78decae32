/**
 * Synthetic athletes with known truth for the motion analyses' tests: a side-view stick figure
 * (Winter's segment proportions, `domain/athlete-calibration.ts`) driven by a knee angle and a
 * vertical lift, rendered to COCO-17 pixels with Gaussian keypoint noise like a real pose
 * model's (a few pixels), sampled at any rate with a sub-frame phase so events fall between
 * frames as they do in real video.
 *
 * Physics of the jump: the feet leave the ground at take-off with vertical speed v and follow
 * the ballistic path v t - g t^2 / 2, so the flight lasts 2 v / g and the rise is v^2 / 2 g.
 */
import { LANDMARK_HEIGHT_FRACTION as F } from '../domain/athlete-calibration';
import type { MotionKeypoint, PoseSeries } from '../domain/pose-series';
import { GRAVITY_MPS2 } from '../sports/cmj/cmj.sport';
import { SQUAT_TEMPO_LEVEL } from '../sports/squat/squat.sport';

/** How the synthetic athlete looks to the camera. */
export interface SyntheticCamera {
  readonly fps: number;
  /** Standard deviation of keypoint noise, pixels per coordinate; default 2. */
  readonly noisePx?: number;
  /** Image scale, pixels per metre; default 350 (a 1.75 m athlete ~610 px tall). */
  readonly pxPerM?: number;
  /** Seed of the noise and of the sub-frame phase; default 1. */
  readonly seed?: number;
}

/** The body at one instant: knee angle (degrees, 180 straight) and lift of the whole body (m). */
interface BodyState {
  readonly kneeDeg: number;
  readonly liftM: number;
}

const STANDING_KNEE_DEG = 175;
const GROUND_Y_PX = 1100;

/** A countermovement jump with take-off speed `takeoffSpeedMps` and its true flight and height. */
export function syntheticCmj(
  takeoffSpeedMps: number,
  camera: SyntheticCamera,
  athleteHeightM = 1.75,
): { series: PoseSeries; truth: { flightTimeS: number; jumpHeightM: number; takeoffS: number } } {
  const flight = (2 * takeoffSpeedMps) / GRAVITY_MPS2;
  const quiet = 1.0,
    eccentric = 0.5,
    concentric = 0.3,
    landing = 0.6;
  const takeoff = quiet + eccentric + concentric;
  const total = takeoff + flight + landing + 1.0;
  const state = (t: number): BodyState => {
    if (t < quiet) return { kneeDeg: STANDING_KNEE_DEG, liftM: 0 };
    if (t < quiet + eccentric) return { kneeDeg: ease(STANDING_KNEE_DEG, 100, (t - quiet) / eccentric), liftM: 0 };
    if (t < takeoff) return { kneeDeg: ease(100, 178, (t - quiet - eccentric) / concentric), liftM: 0 };
    if (t < takeoff + flight) {
      const s = t - takeoff;
      return { kneeDeg: 178, liftM: takeoffSpeedMps * s - (GRAVITY_MPS2 * s * s) / 2 };
    }
    const s = t - takeoff - flight;
    if (s < landing) return { kneeDeg: s < landing / 2 ? ease(178, 125, s / (landing / 2)) : ease(125, STANDING_KNEE_DEG, s / (landing / 2) - 1), liftM: 0 };
    return { kneeDeg: STANDING_KNEE_DEG, liftM: 0 };
  };
  const { series, phase } = render(state, total, camera, athleteHeightM);
  return {
    series,
    truth: { flightTimeS: flight, jumpHeightM: (takeoffSpeedMps * takeoffSpeedMps) / (2 * GRAVITY_MPS2), takeoffS: takeoff - phase },
  };
}

/**
 * A drop jump: standing on a box `boxHeightM` high for 1 s, a free fall to the ground, a
 * ground contact of `contactS`, a rebound with take-off speed `takeoffSpeedMps`, then standing.
 */
export function syntheticDropJump(
  boxHeightM: number,
  contactS: number,
  takeoffSpeedMps: number,
  camera: SyntheticCamera,
  athleteHeightM = 1.75,
): { series: PoseSeries; truth: { contactTimeS: number; flightTimeS: number; jumpHeightM: number } } {
  const onBox = 1.0;
  const fall = Math.sqrt((2 * boxHeightM) / GRAVITY_MPS2);
  const flight = (2 * takeoffSpeedMps) / GRAVITY_MPS2;
  const landed = onBox + fall;
  const takeoff = landed + contactS;
  const state = (t: number): BodyState => {
    if (t < onBox) return { kneeDeg: STANDING_KNEE_DEG, liftM: boxHeightM };
    if (t < landed) return { kneeDeg: STANDING_KNEE_DEG, liftM: boxHeightM - (GRAVITY_MPS2 * (t - onBox) ** 2) / 2 };
    if (t < takeoff) {
      const s = (t - landed) / contactS;
      return { kneeDeg: s < 0.5 ? ease(STANDING_KNEE_DEG, 130, 2 * s) : ease(130, 178, 2 * s - 1), liftM: 0 };
    }
    if (t < takeoff + flight) {
      const s = t - takeoff;
      return { kneeDeg: 178, liftM: takeoffSpeedMps * s - (GRAVITY_MPS2 * s * s) / 2 };
    }
    return { kneeDeg: STANDING_KNEE_DEG, liftM: 0 };
  };
  const { series } = render(state, takeoff + flight + 2.5, camera, athleteHeightM);
  return { series, truth: { contactTimeS: contactS, flightTimeS: flight, jumpHeightM: (takeoffSpeedMps * takeoffSpeedMps) / (2 * GRAVITY_MPS2) } };
}

/** One squat rep of the set: bottom knee angle and seconds down and up. */
export interface SyntheticSquatRep {
  readonly bottomKneeDeg: number;
  readonly downS: number;
  readonly upS: number;
}

/**
 * A set of squats, each rep starting and ending standing with `restS` standing between reps;
 * truth tempo follows the analysis's definition (from 5 % of the depth down to the bottom).
 */
export function syntheticSquats(
  reps: readonly SyntheticSquatRep[],
  camera: SyntheticCamera,
  restS = 0.8,
  athleteHeightM = 1.75,
): { series: PoseSeries; truth: { repCount: number; reps: { bottomKneeAngleDeg: number; downS: number; upS: number }[] } } {
  const segments: { start: number; rep: SyntheticSquatRep }[] = [];
  let t = 1.0;
  for (const rep of reps) {
    segments.push({ start: t, rep });
    t += rep.downS + rep.upS + restS;
  }
  const state = (time: number): BodyState => {
    for (const { start, rep } of segments) {
      const s = time - start;
      if (s < 0 || s >= rep.downS + rep.upS) continue;
      return {
        kneeDeg:
          s < rep.downS ? ease(STANDING_KNEE_DEG, rep.bottomKneeDeg, s / rep.downS) : ease(rep.bottomKneeDeg, STANDING_KNEE_DEG, (s - rep.downS) / rep.upS),
        liftM: 0,
      };
    }
    return { kneeDeg: STANDING_KNEE_DEG, liftM: 0 };
  };
  const { series } = render(state, t + 0.5, camera, athleteHeightM);
  // A cosine ease reaches `level` of its travel at s = acos(1 - 2 level) / pi of its duration.
  const lost = Math.acos(1 - 2 * SQUAT_TEMPO_LEVEL) / Math.PI;
  return {
    series,
    truth: {
      repCount: reps.length,
      reps: reps.map((r) => ({ bottomKneeAngleDeg: r.bottomKneeDeg, downS: r.downS * (1 - lost), upS: r.upS * (1 - lost) })),
    },
  };
}

/** Standing still for `durationS`: only keypoint noise moves. */
export function syntheticStanding(durationS: number, camera: SyntheticCamera, athleteHeightM = 1.75): PoseSeries {
  return render(() => ({ kneeDeg: STANDING_KNEE_DEG, liftM: 0 }), durationS, camera, athleteHeightM).series;
}

/** Cosine ease from a to b as s goes 0..1 (zero speed at both ends, like a real movement). */
function ease(a: number, b: number, s: number): number {
  return a + ((b - a) * (1 - Math.cos(Math.PI * Math.min(1, Math.max(0, s))))) / 2;
}

function render(state: (t: number) => BodyState, durationS: number, camera: SyntheticCamera, heightM: number): { series: PoseSeries; phase: number } {
  const random = mulberry32(camera.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const noise = camera.noisePx ?? 2;
  const scale = camera.pxPerM ?? 350;
  // The first frame falls at a random instant of the movement's first frame interval.
  const phase = random() / camera.fps;
  const frames: MotionKeypoint[][] = [];
  for (let k = 0; k * (1 / camera.fps) < durationS; k += 1) {
    const joints = pose(state(phase + k / camera.fps), heightM);
    const px = (x: number, y: number): MotionKeypoint => ({ x: 300 + x * scale + noise * gauss(), y: GROUND_Y_PX - y * scale + noise * gauss(), score: 0.9 });
    // Side view: the far side sits 2 cm behind the near one.
    const side = (p: { x: number; y: number }): [MotionKeypoint, MotionKeypoint] => [px(p.x, p.y), px(p.x - 0.02, p.y)];
    const [ls, rs] = side(joints.shoulder);
    const [lh, rh] = side(joints.hip);
    const [lk, rk] = side(joints.knee);
    const [la, ra] = side(joints.ankle);
    const nose = px(joints.nose.x, joints.nose.y);
    const head = (dx: number): MotionKeypoint => px(joints.nose.x + dx, joints.nose.y + 0.03);
    const [le, re] = side({ x: joints.shoulder.x + 0.1, y: joints.shoulder.y - 0.25 });
    const [lw, rw] = side({ x: joints.shoulder.x + 0.2, y: joints.shoulder.y - 0.4 });
    frames.push([nose, head(-0.01), head(-0.03), head(-0.06), head(-0.08), ls, rs, le, re, lw, rw, lh, rh, lk, rk, la, ra]);
  }
  return { series: { fps: camera.fps, frames }, phase };
}

/** Joint positions in metres (x forward, y up from the ground) for a body state. */
function pose(s: BodyState, h: number): Record<'ankle' | 'knee' | 'hip' | 'shoulder' | 'nose', { x: number; y: number }> {
  const shank = (F.knee - F.ankle) * h;
  const thigh = (F.hip - F.knee) * h;
  const trunk = (F.shoulder - F.hip) * h;
  const neck = (F.nose - F.shoulder) * h;
  const theta = (s.kneeDeg * Math.PI) / 180;
  const d = Math.sqrt(shank * shank + thigh * thigh - 2 * shank * thigh * Math.cos(theta));
  const alpha = Math.acos(Math.min(1, (shank * shank + d * d - thigh * thigh) / (2 * shank * d)));
  const ankle = { x: 0, y: F.ankle * h + s.liftM };
  const knee = { x: ankle.x + shank * Math.sin(alpha), y: ankle.y + shank * Math.cos(alpha) };
  const hip = { x: ankle.x, y: ankle.y + d };
  // The trunk leans forward as the knees bend, as it does in a squat.
  const lean = ((180 - s.kneeDeg) * 0.4 * Math.PI) / 180;
  const shoulder = { x: hip.x + trunk * Math.sin(lean), y: hip.y + trunk * Math.cos(lean) };
  const nose = { x: shoulder.x + neck * Math.sin(lean) + 0.05, y: shoulder.y + neck * Math.cos(lean) };
  return { ankle, knee, hip, shoulder, nose };
}

/** Small seeded PRNG (uniform in [0, 1)) so every test run sees the same noise. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
