import { type FBetaPoint, fBetaThreshold } from '../domain/matching-policy';
import { type LabelledEmbedding, type PairScores, pairScores, rocAuc, rocCurve, type RocPoint, trueAcceptAtZeroFalseAccept } from '../domain/verification-metrics';

/** Summary of one score distribution. */
export interface Distribution {
  count: number;
  min: number;
  median: number;
  max: number;
  /** Counts per 0.1-wide bin from -0.2 to 1.0 (12 bins; below and above clamp to the ends). */
  histogram: number[];
}

export interface CalibrationReport {
  people: number;
  photos: number;
  genuine: Distribution;
  impostor: Distribution;
  auc: number;
  /** Up to ~10 points of the ROC, strictest first. */
  roc: RocPoint[];
  trueAcceptAtZeroFalseAccept: { trueAcceptRate: number; threshold: number };
  /** The threshold maximising F-beta, with its precision and recall. */
  best: FBetaPoint & { beta: number };
  /** Suggested review band below the threshold (weak matches for a person to look at). */
  review: number;
}

const BIN_LOW = -0.2;
const BIN_WIDTH = 0.1;
const BINS = 12;

function distribution(sorted: readonly number[]): Distribution {
  const histogram = new Array<number>(BINS).fill(0);
  for (const s of sorted) histogram[Math.min(BINS - 1, Math.max(0, Math.floor((s - BIN_LOW) / BIN_WIDTH)))]! += 1;
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    median: sorted.length === 0 ? Number.NaN : sorted[sorted.length >> 1]!,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    histogram,
  };
}

/**
 * Calibrates an open-set threshold from labelled face embeddings: every same-person pair is a
 * genuine score, every different-person pair an impostor score; the threshold maximises
 * F-beta (beta 0.5 by default: a false accept, naming a stranger, costs more than a miss).
 */
export function calibrate(samples: readonly LabelledEmbedding[], beta = 0.5): CalibrationReport {
  const scores: PairScores = pairScores(samples);
  if (scores.genuine.length === 0) throw new RangeError('calibration needs at least one person with two or more photos');
  if (scores.impostor.length === 0) throw new RangeError('calibration needs at least two people');
  const roc = rocCurve(scores);
  const step = Math.max(1, Math.ceil(roc.length / 10));
  const best = fBetaThreshold(scores, beta);
  return {
    people: new Set(samples.map((s) => s.label)).size,
    photos: samples.length,
    genuine: distribution(scores.genuine),
    impostor: distribution(scores.impostor),
    auc: rocAuc(scores),
    roc: roc.filter((_, i) => i % step === 0 || i === roc.length - 1),
    trueAcceptAtZeroFalseAccept: trueAcceptAtZeroFalseAccept(scores),
    best: { ...best, beta },
    review: best.threshold - 0.1,
  };
}

const f3 = (x: number) => x.toFixed(3);

/** The report as text; the last line is `name=value` pairs (scripts read it). */
export function formatCalibrationReport(r: CalibrationReport): string {
  const bins = (d: Distribution) =>
    d.histogram.map((n, i) => `${(BIN_LOW + i * BIN_WIDTH).toFixed(1).padStart(4)} ${'#'.repeat(Math.min(60, n))} ${n}`).join('\n');
  return [
    `calibration on ${r.photos} photos of ${r.people} people`,
    `genuine pairs:  ${r.genuine.count}, min ${f3(r.genuine.min)}, median ${f3(r.genuine.median)}, max ${f3(r.genuine.max)}`,
    bins(r.genuine),
    `impostor pairs: ${r.impostor.count}, min ${f3(r.impostor.min)}, median ${f3(r.impostor.median)}, max ${f3(r.impostor.max)}`,
    bins(r.impostor),
    `ROC (threshold, true-accept rate, false-accept rate), AUC ${f3(r.auc)}:`,
    ...r.roc.map((p) => `  ${f3(p.threshold)}  TAR ${f3(p.trueAcceptRate)}  FAR ${f3(p.falseAcceptRate)}`),
    `true-accept rate at zero false accepts: ${f3(r.trueAcceptAtZeroFalseAccept.trueAcceptRate)} (threshold above ${f3(r.trueAcceptAtZeroFalseAccept.threshold)})`,
    `F${r.best.beta} best threshold ${f3(r.best.threshold)}: precision ${f3(r.best.precision)}, recall ${f3(r.best.recall)}; review band from ${f3(r.review)}`,
    `threshold=${f3(r.best.threshold)} review=${f3(r.review)} precision=${f3(r.best.precision)} recall=${f3(r.best.recall)} f_beta=${f3(r.best.fBeta)} beta=${r.best.beta} auc=${f3(r.auc)} genuine_pairs=${r.genuine.count} impostor_pairs=${r.impostor.count}`,
  ].join('\n');
}
