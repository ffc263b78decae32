import { MotError, MotErrorCode } from './mot.error';

/** Number of keypoints of the COCO skeleton the tracker's OKS term expects by default. */
export const COCO_KEYPOINT_COUNT = 17;

/** Input of {@link Detections.create}; arrays are copied into typed arrays. */
export interface DetectionsInit {
  /** N boxes as `[x1, y1, x2, y2]` in pixels, flat (`4N`) or nested. */
  readonly boxes: ArrayLike<number> | ReadonlyArray<readonly [number, number, number, number]>;
  /** N confidences in [0, 1]. */
  readonly scores: ArrayLike<number>;
  /** Optional `N * K * 3` keypoints `(x, y, score)`, K = `keypointCount` (default 17). */
  readonly keypoints?: ArrayLike<number>;
  /** Keypoints per detection; default 17 (COCO). */
  readonly keypointCount?: number;
  /** Optional `N * D` appearance embeddings, D = `embeddingDim`. */
  readonly embeddings?: ArrayLike<number>;
  readonly embeddingDim?: number;
}

/**
 * One frame's detections as parallel typed arrays (the single currency of the tracker),
 * validated on construction with errors that state the expected shape.
 */
export class Detections {
  private constructor(
    /** `4N` values, `[x1, y1, x2, y2]` per detection. */
    readonly boxes: Float64Array,
    readonly scores: Float64Array,
    readonly keypoints: Float64Array | undefined,
    readonly keypointCount: number,
    readonly embeddings: Float64Array | undefined,
    readonly embeddingDim: number,
  ) {}

  /** Number of detections. */
  get length(): number {
    return this.scores.length;
  }

  /** No detections (a frame where nothing was found). */
  static empty(): Detections {
    return new Detections(new Float64Array(0), new Float64Array(0), undefined, COCO_KEYPOINT_COUNT, undefined, 0);
  }

  /** Validates and copies `init`. Throws {@link MotError} `INVALID_DETECTIONS`. */
  static create(init: DetectionsInit): Detections {
    const flatBoxes = flatten(init.boxes);
    const n = init.scores.length;
    const fail = (message: string): never => {
      throw new MotError(MotErrorCode.INVALID_DETECTIONS, message, { detections: n });
    };
    if (flatBoxes.length !== 4 * n) fail(`boxes to have 4 * ${n} = ${4 * n} values (x1,y1,x2,y2 per score), but got ${flatBoxes.length}`);
    const boxes = Float64Array.from(flatBoxes);
    for (let i = 0; i < n; i++) {
      const x1 = boxes[4 * i]!;
      const y1 = boxes[4 * i + 1]!;
      const x2 = boxes[4 * i + 2]!;
      const y2 = boxes[4 * i + 3]!;
      if (![x1, y1, x2, y2].every(Number.isFinite) || x2 < x1 || y2 < y1) fail(`box ${i} to be finite with x2 >= x1 and y2 >= y1, but got [${x1}, ${y1}, ${x2}, ${y2}]`);
    }
    const scores = Float64Array.from(init.scores);
    scores.forEach((s, i) => {
      if (!(s >= 0 && s <= 1)) fail(`score ${i} to be in [0, 1], but got ${s}`);
    });
    const keypointCount = init.keypointCount ?? COCO_KEYPOINT_COUNT;
    let keypoints: Float64Array | undefined;
    if (init.keypoints !== undefined) {
      if (init.keypoints.length !== n * keypointCount * 3) fail(`keypoints to have ${n} * ${keypointCount} * 3 values, but got ${init.keypoints.length}`);
      keypoints = Float64Array.from(init.keypoints);
    }
    let embeddings: Float64Array | undefined;
    let embeddingDim = 0;
    if (init.embeddings !== undefined) {
      embeddingDim = init.embeddingDim ?? (n > 0 ? init.embeddings.length / n : 0);
      if (!Number.isInteger(embeddingDim) || init.embeddings.length !== n * embeddingDim) fail(`embeddings to have ${n} * embeddingDim values, but got ${init.embeddings.length}`);
      embeddings = Float64Array.from(init.embeddings);
    }
    return new Detections(boxes, scores, keypoints, keypointCount, embeddings, embeddingDim);
  }

  /** Box i as `[x1, y1, x2, y2]`. */
  box(i: number): [number, number, number, number] {
    const b = this.boxes;
    return [b[4 * i]!, b[4 * i + 1]!, b[4 * i + 2]!, b[4 * i + 3]!];
  }

  /** Keypoints of detection i (`K * 3` values), or undefined. */
  keypointsOf(i: number): Float64Array | undefined {
    const stride = this.keypointCount * 3;
    return this.keypoints?.subarray(i * stride, (i + 1) * stride);
  }

  /** Embedding of detection i, or undefined. */
  embeddingOf(i: number): Float64Array | undefined {
    return this.embeddings?.subarray(i * this.embeddingDim, (i + 1) * this.embeddingDim);
  }
}

function flatten(boxes: DetectionsInit['boxes']): ArrayLike<number> {
  if (boxes.length > 0 && Array.isArray(boxes[0])) return (boxes as ReadonlyArray<readonly number[]>).flat();
  return boxes as ArrayLike<number>;
}

/** IoU of two `[x1, y1, x2, y2]` boxes stored in flat arrays at offsets `a` and `b`. */
export function iouXyxyAt(boxesA: ArrayLike<number>, a: number, boxesB: ArrayLike<number>, b: number): number {
  const ax1 = boxesA[a]!;
  const ay1 = boxesA[a + 1]!;
  const ax2 = boxesA[a + 2]!;
  const ay2 = boxesA[a + 3]!;
  const bx1 = boxesB[b]!;
  const by1 = boxesB[b + 1]!;
  const bx2 = boxesB[b + 2]!;
  const by2 = boxesB[b + 3]!;
  const iw = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  if (iw <= 0) return 0;
  const ih = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (ih <= 0) return 0;
  const inter = iw * ih;
  const union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter;
  return union > 0 ? inter / union : 0;
}
