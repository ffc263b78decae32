import { solveLinearAssignment } from '../mot/linear-assignment';
import { groupRowsByFrame, type MotRow } from './mot-challenge.parser';
import { iouXywh } from './mot-metrics';

/** The localisation thresholds HOTA averages over: 0.05, 0.10, …, 0.95 (as NumPy's `arange` computes them). */
export const HOTA_ALPHAS: readonly number[] = Array.from({ length: 19 }, (_, k) => 0.05 + k * 0.05);

/** Same tolerance as the reference implementation (NumPy's float64 epsilon). */
const EPS = 2.220446049250313e-16;

/**
 * Raw per-alpha sums of one sequence (or several pooled with {@link poolHotaCounts}); turn them
 * into scores with {@link summarizeHotaCounts}. Arrays are indexed like {@link HOTA_ALPHAS}.
 */
export interface HotaCounts {
  readonly tp: readonly number[];
  readonly fn: readonly number[];
  readonly fp: readonly number[];
  /** Sum over true positives of their pair's association accuracy (AssA = this / TP). */
  readonly assASum: readonly number[];
  readonly assReSum: readonly number[];
  readonly assPrSum: readonly number[];
  /** Sum of the IoU of the true positives (LocA = this / TP). */
  readonly locSum: readonly number[];
}

/** HOTA and its parts, each the mean over the 19 alphas, plus the per-alpha curves. */
export interface HotaMetrics {
  readonly hota: number;
  /** Detection accuracy TP / (TP + FN + FP). */
  readonly detA: number;
  /** Association accuracy: mean over TPs of the Jaccard index of their two ids' trajectories. */
  readonly assA: number;
  /** Localisation accuracy: mean IoU of the TPs. */
  readonly locA: number;
  readonly detRe: number;
  readonly detPr: number;
  readonly assRe: number;
  readonly assPr: number;
  /** HOTA at alpha = 0.05. */
  readonly hota0: number;
  /** Per-alpha values, indexed like {@link HOTA_ALPHAS}. */
  readonly perAlpha: { readonly hota: number[]; readonly detA: number[]; readonly assA: number[]; readonly locA: number[] };
}

/**
 * HOTA (Luiten et al., IJCV 2020) of one sequence with the semantics of TrackEval's
 * `HOTA.eval_sequence` on MOTChallenge 2-D boxes (IoU of `x,y,w,h` boxes, plain `w*h` areas):
 *
 * 1. Over the whole sequence, for every gt-id/result-id pair, add up a soft co-occurrence: per
 *    frame, IoU / (row sum + column sum − IoU) of the frame's IoU matrix. Divided by
 *    (frames of gt id + frames of result id − that sum) it is the pair's global alignment.
 * 2. Per frame, one optimal assignment maximising alignment × IoU (the same for every alpha);
 *    for each alpha, the assigned pairs with IoU ≥ alpha are true positives.
 * 3. AssA(alpha) averages, over TPs, the Jaccard index TPA / (TPA + FNA + FPA) of the two ids.
 *    HOTA(alpha) = sqrt(DetA · AssA); reported values are means over the 19 alphas.
 *
 * Ground-truth filtering (e.g. zero-marked rows) is the caller's job, as for CLEAR-MOT.
 */
export function accumulateHotaCounts(gt: readonly MotRow[], results: readonly MotRow[]): HotaCounts {
  const nA = HOTA_ALPHAS.length;
  const zeros = (): number[] => new Array<number>(nA).fill(0);
  const counts = { tp: zeros(), fn: zeros(), fp: zeros(), assASum: zeros(), assReSum: zeros(), assPrSum: zeros(), locSum: zeros() };
  if (results.length === 0) {
    counts.fn.fill(gt.length);
    return counts;
  }
  if (gt.length === 0) {
    counts.fp.fill(results.length);
    return counts;
  }

  const gtIndex = contiguousIds(gt);
  const resIndex = contiguousIds(results);
  const nG = gtIndex.size;
  const nR = resIndex.size;
  const gtByFrame = groupRowsByFrame(gt);
  const resByFrame = groupRowsByFrame(results);
  const frames = [...new Set([...gtByFrame.keys(), ...resByFrame.keys()])].sort((a, b) => a - b);

  interface FrameData {
    readonly g: Int32Array;
    readonly r: Int32Array;
    readonly sim: Float64Array;
  }
  const perFrame: FrameData[] = [];
  const potential = new Float64Array(nG * nR);
  const gtCount = new Float64Array(nG);
  const resCount = new Float64Array(nR);

  for (const frame of frames) {
    const objs = gtByFrame.get(frame) ?? [];
    const hyps = resByFrame.get(frame) ?? [];
    const g = Int32Array.from(objs, (o) => gtIndex.get(o.id)!);
    const r = Int32Array.from(hyps, (h) => resIndex.get(h.id)!);
    const ng = g.length;
    const nr = r.length;
    const sim = new Float64Array(ng * nr);
    const rowSum = new Float64Array(ng);
    const colSum = new Float64Array(nr);
    for (let i = 0; i < ng; i++) {
      const o = objs[i]!;
      for (let j = 0; j < nr; j++) {
        const h = hyps[j]!;
        const v = iouXywh(o.x, o.y, o.w, o.h, h.x, h.y, h.w, h.h);
        sim[i * nr + j] = v;
        rowSum[i] = rowSum[i]! + v;
        colSum[j] = colSum[j]! + v;
      }
    }
    for (let i = 0; i < ng; i++) {
      for (let j = 0; j < nr; j++) {
        const s = sim[i * nr + j]!;
        const denom = rowSum[i]! + colSum[j]! - s;
        const k = g[i]! * nR + r[j]!;
        if (denom > EPS) potential[k] = potential[k]! + s / denom;
      }
    }
    for (const k of g) gtCount[k] = gtCount[k]! + 1;
    for (const k of r) resCount[k] = resCount[k]! + 1;
    perFrame.push({ g, r, sim });
  }

  const alignment = new Float64Array(nG * nR);
  for (let a = 0; a < nG; a++) {
    for (let b = 0; b < nR; b++) {
      const p = potential[a * nR + b]!;
      alignment[a * nR + b] = p / (gtCount[a]! + resCount[b]! - p);
    }
  }

  const matches = HOTA_ALPHAS.map(() => new Float64Array(nG * nR));
  for (const { g, r, sim } of perFrame) {
    const ng = g.length;
    const nr = r.length;
    if (ng === 0 || nr === 0) {
      for (let a = 0; a < nA; a++) {
        counts.fp[a] = counts.fp[a]! + nr;
        counts.fn[a] = counts.fn[a]! + ng;
      }
      continue;
    }
    const cost = new Float64Array(ng * nr);
    for (let i = 0; i < ng; i++) {
      for (let j = 0; j < nr; j++) cost[i * nr + j] = -alignment[g[i]! * nR + r[j]!]! * sim[i * nr + j]!;
    }
    const { pairs } = solveLinearAssignment({ rows: ng, cols: nr, data: cost });
    for (let a = 0; a < nA; a++) {
      const alpha = HOTA_ALPHAS[a]!;
      let tp = 0;
      for (const [i, j] of pairs) {
        const s = sim[i * nr + j]!;
        if (s < alpha - EPS) continue;
        tp++;
        counts.locSum[a] = counts.locSum[a]! + s;
        const m = matches[a]!;
        const k = g[i]! * nR + r[j]!;
        m[k] = m[k]! + 1;
      }
      counts.tp[a] = counts.tp[a]! + tp;
      counts.fn[a] = counts.fn[a]! + ng - tp;
      counts.fp[a] = counts.fp[a]! + nr - tp;
    }
  }

  for (let a = 0; a < nA; a++) {
    const m = matches[a]!;
    for (let x = 0; x < nG; x++) {
      for (let y = 0; y < nR; y++) {
        const c = m[x * nR + y]!;
        if (c === 0) continue;
        counts.assASum[a] = counts.assASum[a]! + (c * c) / Math.max(1, gtCount[x]! + resCount[y]! - c);
        counts.assReSum[a] = counts.assReSum[a]! + (c * c) / Math.max(1, gtCount[x]!);
        counts.assPrSum[a] = counts.assPrSum[a]! + (c * c) / Math.max(1, resCount[y]!);
      }
    }
  }
  return counts;
}

/** Adds up per-alpha sums of several sequences (TrackEval's combined-sequence row). */
export function poolHotaCounts(parts: readonly HotaCounts[]): HotaCounts {
  const sum = (key: keyof HotaCounts): number[] => HOTA_ALPHAS.map((_, a) => parts.reduce((s, p) => s + p[key][a]!, 0));
  return { tp: sum('tp'), fn: sum('fn'), fp: sum('fp'), assASum: sum('assASum'), assReSum: sum('assReSum'), assPrSum: sum('assPrSum'), locSum: sum('locSum') };
}

/** Turns per-alpha sums into HOTA, DetA, AssA, LocA (means over alphas) and their curves. */
export function summarizeHotaCounts(c: HotaCounts): HotaMetrics {
  const per = (f: (a: number) => number): number[] => HOTA_ALPHAS.map((_, a) => f(a));
  const tp = (a: number) => c.tp[a]!;
  const detA = per((a) => tp(a) / Math.max(1, tp(a) + c.fn[a]! + c.fp[a]!));
  const assA = per((a) => c.assASum[a]! / Math.max(1, tp(a)));
  // Without true positives this is 1e-10 / 1e-10 = 1, as in TrackEval.
  const locA = per((a) => Math.max(1e-10, c.locSum[a]!) / Math.max(1e-10, tp(a)));
  const hota = per((a) => Math.sqrt(detA[a]! * assA[a]!));
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return {
    hota: mean(hota),
    detA: mean(detA),
    assA: mean(assA),
    locA: mean(locA),
    detRe: mean(per((a) => tp(a) / Math.max(1, tp(a) + c.fn[a]!))),
    detPr: mean(per((a) => tp(a) / Math.max(1, tp(a) + c.fp[a]!))),
    assRe: mean(per((a) => c.assReSum[a]! / Math.max(1, tp(a)))),
    assPr: mean(per((a) => c.assPrSum[a]! / Math.max(1, tp(a)))),
    hota0: hota[0]!,
    perAlpha: { hota, detA, assA, locA },
  };
}

/** {@link accumulateHotaCounts} followed by {@link summarizeHotaCounts}. */
export function evaluateHota(gt: readonly MotRow[], results: readonly MotRow[]): HotaMetrics {
  return summarizeHotaCounts(accumulateHotaCounts(gt, results));
}

/** Maps each distinct id to 0..n-1 in order of first appearance. */
function contiguousIds(rows: readonly MotRow[]): Map<number, number> {
  const index = new Map<number, number>();
  for (const r of rows) if (!index.has(r.id)) index.set(r.id, index.size);
  return index;
}
