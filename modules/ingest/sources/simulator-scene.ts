import type { SimulatedKeypoint, SimulatedPerson, SimulatedTruth } from '@trinetra/shared';

/** Options of {@link SimulatorScene}; every field has a default. */
export interface SimulatorSceneOptions {
  /** Image width in px. Default 640. */
  width?: number;
  /** Image height in px. Default 480. */
  height?: number;
  /** People in view at any time; one who leaves is replaced by a newcomer with a new id. Default 4. */
  persons?: number;
  /** Mean walking speed in px/s (each person varies ±30%). Default 80. Faster means more motion per frame and harder tracking. */
  speedPxPerS?: number;
  /**
   * When true (default) people walk both ways along overlapping lanes, so their boxes cross
   * (the hard case for identity switches); when false everyone walks the same way in their own lane.
   */
  crossings?: boolean;
  /** Static pillars standing in the scene that hide whoever walks behind them. Default 1. */
  occluders?: number;
  /** When true (default) nearer people hide the keypoints of people behind them. */
  mutualOcclusion?: boolean;
  /** Seed of the deterministic RNG; same seed, same scene. Default 1. */
  seed?: number;
}

/** A static occluder as drawn into the background image. */
export interface SceneOccluder {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Deterministic PRNG (mulberry32): fast, 32-bit state, good enough for synthetic scenes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Walker {
  id: number;
  /** Horizontal position of the body's centre line, px. */
  x: number;
  /** Foot line, px (depth: larger is nearer the camera, and taller). */
  footY: number;
  /** Signed horizontal velocity, px/s. */
  vx: number;
  /** Slow vertical drift, px/s. */
  vy: number;
  /** Gait phase in radians. */
  phase: number;
}

/**
 * COCO keypoints of a standing person, as (dx, dy) in body heights from the top-centre:
 * nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles (left before right).
 */
const POSE: ReadonlyArray<readonly [number, number]> = [
  [0, 0.06], [-0.02, 0.045], [0.02, 0.045], [-0.045, 0.055], [0.045, 0.055],
  [-0.1, 0.19], [0.1, 0.19], [-0.13, 0.35], [0.13, 0.35], [-0.14, 0.48], [0.14, 0.48],
  [-0.06, 0.53], [0.06, 0.53], [-0.065, 0.76], [0.065, 0.76], [-0.07, 0.98], [0.07, 0.98],
];

/**
 * A synthetic scene of people walking, with ground truth per frame: boxes, plausible 17-point
 * skeletons (gait with counter-swinging arms, perspective scaling by depth), crossings and
 * occlusions. Pure and deterministic: `step(dt)` advances time, `truth()` reads the frame.
 */
export class SimulatorScene {
  readonly width: number;
  readonly height: number;
  readonly occluders: readonly SceneOccluder[];
  private readonly count: number;
  private readonly speed: number;
  private readonly crossings: boolean;
  private readonly mutualOcclusion: boolean;
  private readonly random: () => number;
  private walkers: Walker[] = [];
  private nextId = 1;

  constructor(options: SimulatorSceneOptions = {}) {
    this.width = options.width ?? 640;
    this.height = options.height ?? 480;
    this.count = Math.max(0, Math.floor(options.persons ?? 4));
    this.speed = options.speedPxPerS ?? 80;
    this.crossings = options.crossings ?? true;
    this.mutualOcclusion = options.mutualOcclusion ?? true;
    this.random = seededRandom(options.seed ?? 1);
    const occluders: SceneOccluder[] = [];
    const pillars = Math.max(0, Math.floor(options.occluders ?? 1));
    for (let i = 0; i < pillars; i += 1) {
      const w = this.width * 0.06;
      occluders.push({ x: ((i + 1) / (pillars + 1)) * this.width - w / 2, y: this.height * 0.15, width: w, height: this.height * 0.85 });
    }
    this.occluders = occluders;
    for (let i = 0; i < this.count; i += 1) this.walkers.push(this.spawn(i, true));
  }

  /** Ids of people currently in the scene. */
  get personIds(): number[] {
    return this.walkers.map((w) => w.id);
  }

  /** Advances the scene by `dtMs`; people who walk out are replaced by newcomers. */
  step(dtMs: number): void {
    const dt = dtMs / 1000;
    this.walkers = this.walkers.map((w, lane) => {
      const x = w.x + w.vx * dt;
      const footY = Math.min(this.height * 0.98, Math.max(this.height * 0.55, w.footY + w.vy * dt));
      const heightPx = this.bodyHeight(footY);
      const phase = w.phase + (Math.abs(w.vx) * dt * 2 * Math.PI) / Math.max(1, heightPx * 0.9);
      const gone = w.vx > 0 ? x - heightPx * 0.2 > this.width : x + heightPx * 0.2 < 0;
      return gone ? this.spawn(lane, false) : { ...w, x, footY, phase };
    });
  }

  /** The ground truth of the current instant, people sorted far to near. */
  truth(): SimulatedTruth {
    const ordered = [...this.walkers].sort((a, b) => a.footY - b.footY);
    const boxes = ordered.map((w) => this.pose(w));
    const persons: SimulatedPerson[] = boxes.map(({ walker, keypoints }, index) => {
      const hidden = keypoints.map((k) => {
        if (k.x < 0 || k.y < 0 || k.x >= this.width || k.y >= this.height) return true;
        if (this.occluders.some((o) => inside(k, o))) return true;
        if (!this.mutualOcclusion) return false;
        return boxes.slice(index + 1).some((nearer) => inside(k, shrink(nearer.box, 0.25)));
      });
      const visible = hidden.filter((h) => !h).length;
      return {
        id: walker.id,
        box: clipBox(boundingBox(keypoints, this.bodyHeight(walker.footY)), this.width, this.height),
        keypoints: keypoints.map((k, i) => ({ x: k.x, y: k.y, score: hidden[i] ? 0 : k.score })),
        visibility: visible / keypoints.length,
      };
    });
    const inView = persons.filter((p) => p.box.width > 0 && p.box.height > 0 && p.keypoints.some((k) => k.x >= 0 && k.x < this.width && k.y >= 0 && k.y < this.height));
    return { width: this.width, height: this.height, persons: inView };
  }

  private bodyHeight(footY: number): number {
    const depth = (footY - this.height * 0.55) / (this.height * 0.43);
    return this.height * (0.3 + 0.35 * Math.min(1, Math.max(0, depth)));
  }

  private spawn(lane: number, initial: boolean): Walker {
    const r = this.random;
    const rightwards = this.crossings ? lane % 2 === 0 : true;
    const laneCount = Math.max(1, this.count);
    const laneY = this.crossings
      ? this.height * (0.7 + 0.2 * r())
      : this.height * (0.58 + (0.38 * (lane + 0.5)) / laneCount);
    const speed = this.speed * (this.crossings ? 0.7 + 0.6 * r() : 1);
    const margin = this.bodyHeight(laneY) * 0.2;
    const x = initial ? r() * this.width : rightwards ? -margin : this.width + margin;
    return {
      id: this.nextId++,
      x,
      footY: laneY,
      vx: rightwards ? speed : -speed,
      vy: this.crossings ? (r() - 0.5) * speed * 0.15 : 0,
      phase: r() * 2 * Math.PI,
    };
  }

  private pose(w: Walker): { walker: Walker; keypoints: SimulatedKeypoint[]; box: Box } {
    const h = this.bodyHeight(w.footY);
    const top = w.footY - h;
    const swing = Math.sin(w.phase);
    const dir = Math.sign(w.vx) || 1;
    const keypoints = POSE.map(([dx, dy], i) => {
      let ox = dx;
      let oy = dy;
      const left = i % 2 === 1;
      if (i === 9 || i === 10 || i === 7 || i === 8) ox += dir * (left ? 1 : -1) * swing * (i >= 9 ? 0.08 : 0.04);
      if (i === 13 || i === 14 || i === 15 || i === 16) {
        const legSwing = dir * (left ? -1 : 1) * swing * (i >= 15 ? 0.12 : 0.06);
        ox += legSwing;
        if (i >= 15) oy -= Math.max(0, (left ? -1 : 1) * Math.cos(w.phase)) * 0.03;
      }
      return { x: w.x + ox * h, y: top + oy * h, score: i <= 4 ? 0.85 : 0.95 };
    });
    return { walker: w, keypoints, box: boundingBox(keypoints, h) };
  }
}

type Box = SceneOccluder;

function inside(k: SimulatedKeypoint, b: Box): boolean {
  return k.x >= b.x && k.x <= b.x + b.width && k.y >= b.y && k.y <= b.y + b.height;
}

function shrink(b: Box, fraction: number): Box {
  const dx = (b.width * fraction) / 2;
  const dy = (b.height * fraction) / 2;
  return { x: b.x + dx, y: b.y + dy, width: b.width - 2 * dx, height: b.height - 2 * dy };
}

/** Keypoint extent, padded like a detector's box (head top above the nose, a little around limbs). */
function boundingBox(keypoints: readonly SimulatedKeypoint[], bodyHeight: number): Box {
  const xs = keypoints.map((k) => k.x);
  const ys = keypoints.map((k) => k.y);
  const pad = bodyHeight * 0.04;
  const x = Math.min(...xs) - pad;
  const y = Math.min(...ys) - bodyHeight * 0.06;
  return { x, y, width: Math.max(...xs) + pad - x, height: Math.max(...ys) + pad / 2 - y };
}

function clipBox(b: Box, width: number, height: number): Box {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return { x, y, width: Math.max(0, Math.min(width, b.x + b.width) - x), height: Math.max(0, Math.min(height, b.y + b.height) - y) };
}
