import { solveLinearAssignment } from '../mot/linear-assignment';
import { groupRowsByFrame, type MotRow } from './mot-challenge.parser';

/** Options of {@link accumulateMotCounts}. */
export interface MotEvalOptions {
  /**
   * A ground-truth box and a result box may be paired when their IoU is at least this.
   * Default 0.5, the MOTChallenge and py-motmetrics convention.
   */
  readonly iouThreshold?: number;
}

/**
 * Raw counts of one sequence (or several pooled). Pool sequences with {@link poolMotCounts}
 * and turn counts into ratios with {@link summarizeMotCounts}.
 */
export interface MotCounts {
  readonly frames: number;
  /** Ground-truth boxes. */
  readonly numObjects: number;
  /** Result boxes. */
  readonly numPredictions: number;
  /** Matched pairs, switches included. */
  readonly numMatches: number;
  readonly numSwitches: number;
  readonly numFalsePositives: number;
  readonly numMisses: number;
  readonly numFragmentations: number;
  /** Sum over matched pairs of (1 - IoU). */
  readonly distanceSum: number;
  readonly numUniqueObjects: number;
  readonly mostlyTracked: number;
  readonly partiallyTracked: number;
  readonly mostlyLost: number;
  /** Boxes on the globally optimal one-to-one id mapping (IDF1). */
  readonly idtp: number;
  readonly idfp: number;
  readonly idfn: number;
}

/** CLEAR-MOT and identity metrics of one sequence or a pool of them. */
export interface MotMetrics extends MotCounts {
  /** 1 - (FN + IDSW + FP) / gt boxes. Can be negative. */
  readonly mota: number;
  /** Higher-is-better MOTP: mean IoU of matched pairs = 1 - {@link motpDistance}. */
  readonly motp: number;
  /** py-motmetrics' MOTP: mean (1 - IoU) of matched pairs, lower is better. */
  readonly motpDistance: number;
  readonly idf1: number;
  readonly idp: number;
  readonly idr: number;
  readonly recall: number;
  readonly precision: number;
}

/** IoU of two boxes given as top-left + size (plain w*h areas, as py-motmetrics). */
export function iouXywh(ax: number, ay: number, aw: number, ah: number, bx: number, by: number, bw: number, bh: number): number {
  const ix = Math.min(ax + aw, bx + bw) - Math.max(ax, bx);
  const iy = Math.min(ay + ah, by + bh) - Math.max(ay, by);
  const inter = Math.max(ix, 0) * Math.max(iy, 0);
  const union = aw * ah + bw * bh - inter;
  return union > 0 ? inter / union : 0;
}

interface ObjectHistory {
  /** One flag per frame the object appears in: 1 matched, 0 missed. */
  readonly tracked: number[];
}

/**
 * Compares a result sequence with ground truth frame by frame, with py-motmetrics'
 * `MOTAccumulator` semantics: pairs need IoU >= threshold; an object keeps the result id it
 * was last matched to when that pair is still within the gate in this frame; the remaining
 * objects and results are matched by a minimum-distance assignment (maximum number of
 * pairs first); a match to a different id than the object's last one is an ID switch.
 * Identity metrics use a global optimal one-to-one mapping of ids over the whole sequence.
 */
export function accumulateMotCounts(gt: readonly MotRow[], results: readonly MotRow[], options: MotEvalOptions = {}): MotCounts {
  const maxDistance = 1 - (options.iouThreshold ?? 0.5);
  const gtByFrame = groupRowsByFrame(gt);
  const resByFrame = groupRowsByFrame(results);
  const frames = [...new Set([...gtByFrame.keys(), ...resByFrame.keys()])].sort((a, b) => a - b);

  const lastMatch = new Map<number, number>();
  const histories = new Map<number, ObjectHistory>();
  const objectIndex = new Map<number, number>();
  const hypIndex = new Map<number, number>();
  const objectFrames: number[] = [];
  const hypFrames: number[] = [];
  const coOccurrence = new Map<number, number>();

  let numMatches = 0;
  let numSwitches = 0;
  let numFalsePositives = 0;
  let numMisses = 0;
  let distanceSum = 0;

  for (const frame of frames) {
    const objs = gtByFrame.get(frame) ?? [];
    const hyps = resByFrame.get(frame) ?? [];
    const no = objs.length;
    const nh = hyps.length;

    const dist = new Float64Array(no * nh);
    for (let i = 0; i < no; i++) {
      const o = objs[i]!;
      let oi = objectIndex.get(o.id);
      if (oi === undefined) {
        oi = objectFrames.length;
        objectIndex.set(o.id, oi);
        objectFrames.push(0);
      }
      objectFrames[oi] = objectFrames[oi]! + 1;
      for (let j = 0; j < nh; j++) {
        const h = hyps[j]!;
        const d = 1 - iouXywh(o.x, o.y, o.w, o.h, h.x, h.y, h.w, h.h);
        dist[i * nh + j] = d > maxDistance ? NaN : d;
      }
    }
    for (let j = 0; j < nh; j++) {
      const h = hyps[j]!;
      let hi = hypIndex.get(h.id);
      if (hi === undefined) {
        hi = hypFrames.length;
        hypIndex.set(h.id, hi);
        hypFrames.push(0);
      }
      hypFrames[hi] = hypFrames[hi]! + 1;
      for (let i = 0; i < no; i++) {
        if (Number.isNaN(dist[i * nh + j]!)) continue;
        const key = objectIndex.get(objs[i]!.id)! * 1_000_003 + hi;
        coOccurrence.set(key, (coOccurrence.get(key) ?? 0) + 1);
      }
    }

    const objMatched = new Uint8Array(no);
    const hypMatched = new Uint8Array(nh);

    for (let i = 0; i < no; i++) {
      const prev = lastMatch.get(objs[i]!.id);
      if (prev === undefined) continue;
      const j = hyps.findIndex((h, k) => !hypMatched[k] && h.id === prev);
      if (j < 0 || Number.isNaN(dist[i * nh + j]!)) continue;
      objMatched[i] = 1;
      hypMatched[j] = 1;
      numMatches++;
      distanceSum += dist[i * nh + j]!;
    }

    const masked = new Float64Array(dist);
    for (let i = 0; i < no; i++) {
      for (let j = 0; j < nh; j++) if (objMatched[i] || hypMatched[j]) masked[i * nh + j] = NaN;
    }
    const assignment = solveLinearAssignment({ rows: no, cols: nh, data: masked });
    for (const [i, j] of assignment.pairs) {
      const oid = objs[i]!.id;
      const hid = hyps[j]!.id;
      const prev = lastMatch.get(oid);
      if (prev !== undefined && prev !== hid) numSwitches++;
      lastMatch.set(oid, hid);
      objMatched[i] = 1;
      hypMatched[j] = 1;
      numMatches++;
      distanceSum += masked[i * nh + j]!;
    }

    for (let i = 0; i < no; i++) {
      const oid = objs[i]!.id;
      let history = histories.get(oid);
      if (!history) {
        history = { tracked: [] };
        histories.set(oid, history);
      }
      history.tracked.push(objMatched[i]!);
      if (!objMatched[i]) numMisses++;
    }
    for (let j = 0; j < nh; j++) if (!hypMatched[j]) numFalsePositives++;
  }

  let mostlyTracked = 0;
  let partiallyTracked = 0;
  let mostlyLost = 0;
  let numFragmentations = 0;
  for (const { tracked } of histories.values()) {
    const hits = tracked.reduce((s, t) => s + t, 0);
    const ratio = hits / tracked.length;
    if (ratio >= 0.8) mostlyTracked++;
    else if (ratio < 0.2) mostlyLost++;
    else partiallyTracked++;
    const first = tracked.indexOf(1);
    const last = tracked.lastIndexOf(1);
    for (let k = first + 1; first >= 0 && k <= last; k++) if (tracked[k - 1] === 1 && tracked[k] === 0) numFragmentations++;
  }

  const idtp = optimalIdTruePositives(objectFrames.length, hypFrames.length, coOccurrence);
  const numObjects = objectFrames.reduce((s, v) => s + v, 0);
  const numPredictions = hypFrames.reduce((s, v) => s + v, 0);

  return {
    frames: frames.length,
    numObjects,
    numPredictions,
    numMatches,
    numSwitches,
    numFalsePositives,
    numMisses,
    numFragmentations,
    distanceSum,
    numUniqueObjects: histories.size,
    mostlyTracked,
    partiallyTracked,
    mostlyLost,
    idtp,
    idfp: numPredictions - idtp,
    idfn: numObjects - idtp,
  };
}

/** Largest number of boxes a one-to-one gt-id/result-id mapping can pair (IDTP). */
function optimalIdTruePositives(numObjectIds: number, numHypIds: number, coOccurrence: Map<number, number>): number {
  if (numObjectIds === 0 || numHypIds === 0) return 0;
  const data = new Float64Array(numObjectIds * numHypIds);
  for (const [key, count] of coOccurrence) {
    const oi = Math.floor(key / 1_000_003);
    const hi = key - oi * 1_000_003;
    data[oi * numHypIds + hi] = -count;
  }
  const assignment = solveLinearAssignment({ rows: numObjectIds, cols: numHypIds, data });
  return -assignment.totalCost;
}

/** Adds up the counts of several sequences (the "overall" row of py-motmetrics). */
export function poolMotCounts(parts: readonly MotCounts[]): MotCounts {
  const keys: Array<keyof MotCounts> = [
    'frames', 'numObjects', 'numPredictions', 'numMatches', 'numSwitches', 'numFalsePositives', 'numMisses',
    'numFragmentations', 'distanceSum', 'numUniqueObjects', 'mostlyTracked', 'partiallyTracked', 'mostlyLost',
    'idtp', 'idfp', 'idfn',
  ];
  const pooled = Object.fromEntries(keys.map((k) => [k, parts.reduce((s, p) => s + p[k], 0)]));
  return pooled as unknown as MotCounts;
}

/** Turns counts into CLEAR-MOT and identity ratios. Ratios with an empty denominator are 0. */
export function summarizeMotCounts(counts: MotCounts): MotMetrics {
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const motpDistance = ratio(counts.distanceSum, counts.numMatches);
  return {
    ...counts,
    mota: counts.numObjects > 0 ? 1 - (counts.numMisses + counts.numSwitches + counts.numFalsePositives) / counts.numObjects : 0,
    motp: counts.numMatches > 0 ? 1 - motpDistance : 0,
    motpDistance,
    idf1: ratio(2 * counts.idtp, counts.numObjects + counts.numPredictions),
    idp: ratio(counts.idtp, counts.idtp + counts.idfp),
    idr: ratio(counts.idtp, counts.idtp + counts.idfn),
    recall: ratio(counts.numMatches, counts.numObjects),
    precision: ratio(counts.numMatches, counts.numMatches + counts.numFalsePositives),
  };
}

/** {@link accumulateMotCounts} followed by {@link summarizeMotCounts}. */
export function evaluateMot(gt: readonly MotRow[], results: readonly MotRow[], options: MotEvalOptions = {}): MotMetrics {
  return summarizeMotCounts(accumulateMotCounts(gt, results, options));
}
