import { Detections } from '../mot/detections';
import { MotError, MotErrorCode } from '../mot/mot.error';
import type { MotRow } from '../eval/mot-challenge.parser';
import { SeededRandom } from './seeded-random';

/** Options of {@link generateScenario}; every knob has a default that gives a moderate scene. */
export interface ScenarioOptions {
  /** RNG seed; the same seed always yields the same scene. Default 1. */
  readonly seed?: number;
  /** Number of frames. Default 150. */
  readonly frames?: number;
  readonly width?: number;
  readonly height?: number;
  /** People walking with random, slowly varying velocity, bouncing at image borders. Default 5. */
  readonly walkers?: number;
  /** Pairs that walk head-on past each other at mid-sequence, one occluding the other. Default 1. */
  readonly crossings?: number;
  /** Static pillars people walk behind (short full occlusions). Default 1. */
  readonly occluders?: number;
  /** Probability that a visible person's detection is dropped. Default 0.03. */
  readonly missRate?: number;
  /** Expected spurious detections per frame (mostly low score). Default 0.3. */
  readonly falsePositiveRate?: number;
  /** Box jitter, std as a fraction of box height. Default 0.02. */
  readonly boxNoise?: number;
  /** A person less visible than this is not detected and not in evaluated ground truth. Default 0.25. */
  readonly minVisibility?: number;
  /**
   * Visibility below which a detection comes out with a low score (0.15-0.45) instead of a
   * high one (0.65-0.95), as real detectors do for partly hidden people. Default 0.7.
   */
  readonly lowScoreVisibility?: number;
  /** Length of the per-person appearance embeddings attached to detections. Default 16. */
  readonly embeddingDim?: number;
  /** Std of the per-component noise added to a person's unit embedding. Default 0.08. */
  readonly embeddingNoise?: number;
}

/** One generated frame. */
export interface ScenarioFrame {
  readonly frame: number;
  /** Ground truth of every person on screen; `score` 1 when visible enough to evaluate, else 0. */
  readonly groundTruth: MotRow[];
  /** Detector output with id -1, MOTChallenge detection layout. */
  readonly detections: MotRow[];
  /** One appearance embedding per detection (same order). */
  readonly embeddings: number[][];
}

/** A frame's detections as tracker input (boxes, scores, embeddings). */
export function scenarioFrameDetections(frame: ScenarioFrame, withEmbeddings = true): Detections {
  return Detections.create({
    boxes: frame.detections.flatMap((r) => [r.x, r.y, r.x + r.w, r.y + r.h]),
    scores: frame.detections.map((r) => r.score),
    ...(withEmbeddings && frame.embeddings.length > 0
      ? { embeddings: frame.embeddings.flat(), embeddingDim: frame.embeddings[0]!.length }
      : {}),
  });
}

/** A synthetic scene with MOTChallenge-format ground truth and detections. */
export interface Scenario {
  readonly width: number;
  readonly height: number;
  readonly frames: ScenarioFrame[];
  /** All ground-truth rows; parse-equivalent to a MOT16 `gt.txt` (evaluate with `score >= 1`). */
  readonly groundTruth: MotRow[];
  readonly detections: MotRow[];
}

interface Person {
  id: number;
  cx: number;
  bottom: number;
  vx: number;
  vy: number;
  h: number;
  w: number;
  wander: boolean;
  appearance: number[];
}

interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Generates a seeded synthetic scene: walkers, head-on crossings, pillars, missed and false
 * detections, low scores for partly hidden people, and the matching ground truth.
 */
export function generateScenario(options: ScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  const frames = options.frames ?? 150;
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const walkers = options.walkers ?? 5;
  const crossings = options.crossings ?? 1;
  const occluderCount = options.occluders ?? 1;
  const missRate = options.missRate ?? 0.03;
  const fpRate = options.falsePositiveRate ?? 0.3;
  const boxNoise = options.boxNoise ?? 0.02;
  const minVisibility = options.minVisibility ?? 0.25;
  const lowScoreVisibility = options.lowScoreVisibility ?? 0.7;
  const embeddingDim = options.embeddingDim ?? 16;
  const embeddingNoise = options.embeddingNoise ?? 0.08;
  if (frames < 1 || walkers < 0 || crossings < 0 || occluderCount < 0 || missRate < 0 || missRate > 1 || fpRate < 0) {
    throw new MotError(MotErrorCode.INVALID_OPTIONS, 'expected frames >= 1, non-negative counts and rates, missRate <= 1', { ...options });
  }

  const rng = new SeededRandom(seed);
  // A separate stream so that adding embeddings does not change the geometry of a seed.
  const appearanceRng = new SeededRandom(seed ^ 0x5bd1e995);
  const randomUnit = (): number[] => unit(Array.from({ length: embeddingDim }, () => appearanceRng.gaussian()));
  const observe = (v: number[]): number[] => unit(v.map((x) => x + appearanceRng.gaussian(0, embeddingNoise)));
  const people: Person[] = [];
  let nextId = 1;
  for (let k = 0; k < walkers; k++) {
    const h = rng.uniform(90, 170);
    people.push({
      id: nextId++,
      cx: rng.uniform(0.1 * width, 0.9 * width),
      bottom: rng.uniform(0.45 * height, 0.95 * height),
      vx: rng.uniform(1.5, 4) * (rng.chance(0.5) ? 1 : -1),
      vy: rng.uniform(-0.5, 0.5),
      h,
      w: 0.4 * h,
      wander: true,
      appearance: randomUnit(),
    });
  }
  for (let k = 0; k < crossings; k++) {
    const speed = rng.uniform(2, 3.5);
    const meetX = rng.uniform(0.35 * width, 0.65 * width);
    const meetFrame = frames / 2;
    const bottom = rng.uniform(0.55 * height, 0.85 * height);
    const h = rng.uniform(110, 150);
    for (const dir of [1, -1]) {
      people.push({
        id: nextId++,
        cx: meetX - dir * speed * meetFrame,
        bottom: bottom + (dir === 1 ? 0 : 12),
        vx: dir * speed,
        vy: 0,
        h: h + (dir === 1 ? 0 : 8),
        w: 0.4 * (h + (dir === 1 ? 0 : 8)),
        wander: false,
        appearance: randomUnit(),
      });
    }
  }
  const occluders: Rect[] = [];
  for (let k = 0; k < occluderCount; k++) {
    const w = rng.uniform(70, 110);
    const x1 = rng.uniform(0.15 * width, 0.85 * width - w);
    occluders.push({ x1, y1: 0.15 * height, x2: x1 + w, y2: height });
  }

  const out: ScenarioFrame[] = [];
  for (let frame = 1; frame <= frames; frame++) {
    const onScreen = people
      .map((p) => ({ p, rect: { x1: p.cx - p.w / 2, y1: p.bottom - p.h, x2: p.cx + p.w / 2, y2: p.bottom } }))
      .filter(({ rect }) => rect.x2 > 0 && rect.x1 < width && rect.y2 > 0 && rect.y1 < height);
    const groundTruth: MotRow[] = [];
    const detections: MotRow[] = [];
    const embeddings: number[][] = [];
    for (const { p, rect } of onScreen) {
      const blockers = [...occluders, ...onScreen.filter((o) => o.p !== p && o.p.bottom > p.bottom).map((o) => o.rect)];
      const visibility = visibleFraction(rect, blockers, width, height);
      const visible = visibility >= minVisibility;
      groundTruth.push({ frame, id: p.id, x: rect.x1, y: rect.y1, w: p.w, h: p.h, score: visible ? 1 : 0 });
      if (!visible || rng.chance(missRate)) continue;
      const score = visibility >= lowScoreVisibility ? rng.uniform(0.65, 0.95) : rng.uniform(0.15, 0.45);
      const sigma = boxNoise * p.h;
      const x1 = rect.x1 + rng.gaussian(0, sigma);
      const y1 = rect.y1 + rng.gaussian(0, sigma);
      const x2 = rect.x2 + rng.gaussian(0, sigma);
      const y2 = rect.y2 + rng.gaussian(0, sigma);
      detections.push({ frame, id: -1, x: x1, y: y1, w: Math.max(1, x2 - x1), h: Math.max(1, y2 - y1), score });
      embeddings.push(observe(p.appearance));
    }
    const spurious = poissonCount(rng, fpRate);
    for (let k = 0; k < spurious; k++) {
      const h = rng.uniform(60, 160);
      detections.push({
        frame,
        id: -1,
        x: rng.uniform(0, width - 0.4 * h),
        y: rng.uniform(0, height - h),
        w: 0.4 * h,
        h,
        score: rng.chance(0.8) ? rng.uniform(0.1, 0.45) : rng.uniform(0.5, 0.7),
      });
      embeddings.push(randomUnit());
    }
    out.push({ frame, groundTruth, detections, embeddings });

    for (const p of people) {
      if (p.wander) {
        p.vx += rng.gaussian(0, 0.05);
        p.vy += rng.gaussian(0, 0.03);
        if (p.cx + p.vx < p.w / 2 || p.cx + p.vx > width - p.w / 2) p.vx = -p.vx;
        if (p.bottom + p.vy < 0.4 * height || p.bottom + p.vy > height) p.vy = -p.vy;
      }
      p.cx += p.vx;
      p.bottom += p.vy;
    }
  }
  return {
    width,
    height,
    frames: out,
    groundTruth: out.flatMap((f) => f.groundTruth),
    detections: out.flatMap((f) => f.detections),
  };
}

/** Fraction of `rect` (clipped to the image) not covered by any blocker, by 4-px sampling. */
function visibleFraction(rect: Rect, blockers: Rect[], width: number, height: number): number {
  const x1 = Math.max(0, rect.x1);
  const y1 = Math.max(0, rect.y1);
  const x2 = Math.min(width, rect.x2);
  const y2 = Math.min(height, rect.y2);
  const fullArea = (rect.x2 - rect.x1) * (rect.y2 - rect.y1);
  if (x2 <= x1 || y2 <= y1 || fullArea <= 0) return 0;
  const relevant = blockers.filter((b) => b.x1 < x2 && b.x2 > x1 && b.y1 < y2 && b.y2 > y1);
  const step = 4;
  let total = 0;
  let seen = 0;
  for (let y = y1 + step / 2; y < y2; y += step) {
    for (let x = x1 + step / 2; x < x2; x += step) {
      total++;
      if (!relevant.some((b) => x >= b.x1 && x < b.x2 && y >= b.y1 && y < b.y2)) seen++;
    }
  }
  const inImage = ((x2 - x1) * (y2 - y1)) / fullArea;
  return total === 0 ? 0 : (seen / total) * inImage;
}

function unit(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

function poissonCount(rng: SeededRandom, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
