import { cosineSimilarity } from './face-similarity';

/** One labelled embedding: whose face it is. */
export interface LabelledEmbedding {
  label: string;
  embedding: readonly number[];
}

/** Similarities of every unordered pair, split into same-person (genuine) and different-person (impostor). */
export interface PairScores {
  genuine: number[];
  impostor: number[];
}

/** All-pairs cosine similarities of a labelled set, each list sorted ascending. */
export function pairScores(samples: readonly LabelledEmbedding[]): PairScores {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i] as LabelledEmbedding;
      const b = samples[j] as LabelledEmbedding;
      (a.label === b.label ? genuine : impostor).push(cosineSimilarity(a.embedding, b.embedding));
    }
  }
  const asc = (x: number, y: number) => x - y;
  return { genuine: genuine.sort(asc), impostor: impostor.sort(asc) };
}

/** One ROC point: accept when similarity >= threshold. */
export interface RocPoint {
  threshold: number;
  trueAcceptRate: number;
  falseAcceptRate: number;
}

/** The ROC curve over every observed score as a threshold, from strictest to loosest. */
export function rocCurve(scores: PairScores): RocPoint[] {
  const thresholds = [...new Set([...scores.genuine, ...scores.impostor])].sort((a, b) => b - a);
  const rate = (list: number[], t: number) => (list.length === 0 ? 0 : list.filter((s) => s >= t).length / list.length);
  return thresholds.map((t) => ({ threshold: t, trueAcceptRate: rate(scores.genuine, t), falseAcceptRate: rate(scores.impostor, t) }));
}

/** Area under the ROC: the chance that a random genuine pair scores above a random impostor pair. */
export function rocAuc(scores: PairScores): number {
  if (scores.genuine.length === 0 || scores.impostor.length === 0) return 0;
  let wins = 0;
  for (const g of scores.genuine) for (const i of scores.impostor) wins += g > i ? 1 : g === i ? 0.5 : 0;
  return wins / (scores.genuine.length * scores.impostor.length);
}

/**
 * The share of genuine pairs accepted when the threshold sits just above the best impostor, so
 * that no impostor pair is accepted; and that threshold.
 */
export function trueAcceptAtZeroFalseAccept(scores: PairScores): { trueAcceptRate: number; threshold: number } {
  const worstImpostor = scores.impostor.length > 0 ? (scores.impostor[scores.impostor.length - 1] as number) : -1;
  const accepted = scores.genuine.filter((g) => g > worstImpostor).length;
  return { trueAcceptRate: scores.genuine.length === 0 ? 0 : accepted / scores.genuine.length, threshold: worstImpostor };
}

/** The median of a sorted list (upper median for even lengths). */
export function median(sorted: readonly number[]): number {
  return sorted.length === 0 ? Number.NaN : (sorted[sorted.length >> 1] as number);
}
