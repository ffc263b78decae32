import type { ByteTracker } from '../mot/byte-tracker';
import { noisyDetectionsFromGroundTruth } from '../scenario/noisy-detections';
import { accumulateHotaCounts, summarizeHotaCounts } from './hota-metrics';
import type { MotRow } from './mot-challenge.parser';
import { accumulateMotCounts, summarizeMotCounts } from './mot-metrics';
import { trackMotRows } from './track-mot-rows';

/** One ground-truth sequence to turn into noisy detections. */
export interface EvaluationSequence {
  readonly name: string;
  /** Evaluated ground truth (already filtered, e.g. confidence >= 1). */
  readonly groundTruth: readonly MotRow[];
}

/** Scores of one tracker run over one sequence with one noise seed. */
export interface TrackingRunScores {
  readonly sequence: string;
  readonly seed: number;
  readonly mota: number;
  readonly idf1: number;
  readonly hota: number;
  readonly idsw: number;
}

/** Per-run scores and their plain means (each run weighs the same). */
export interface TrackingEvaluation {
  readonly runs: TrackingRunScores[];
  readonly mean: Omit<TrackingRunScores, 'sequence' | 'seed'>;
}

/**
 * Runs a fresh tracker per (sequence, seed) over ground truth turned into detections by
 * {@link noisyDetectionsFromGroundTruth} and scores it with CLEAR-MOT, IDF1 and HOTA.
 * Deterministic: the same tracker options give the same numbers on every machine.
 */
export function evaluateOnNoisyGroundTruth(
  sequences: readonly EvaluationSequence[],
  seeds: readonly number[],
  makeTracker: () => ByteTracker,
): TrackingEvaluation {
  const runs: TrackingRunScores[] = [];
  for (const { name, groundTruth } of sequences) {
    const lastFrame = groundTruth.reduce((m, r) => Math.max(m, r.frame), 0);
    for (const seed of seeds) {
      const results = trackMotRows(noisyDetectionsFromGroundTruth(groundTruth, seed), makeTracker(), { lastFrame });
      const mot = summarizeMotCounts(accumulateMotCounts(groundTruth, results));
      const hota = summarizeHotaCounts(accumulateHotaCounts(groundTruth, results));
      runs.push({ sequence: name, seed, mota: mot.mota, idf1: mot.idf1, hota: hota.hota, idsw: mot.numSwitches });
    }
  }
  const mean = (pick: (r: TrackingRunScores) => number) => (runs.length === 0 ? 0 : runs.reduce((s, r) => s + pick(r), 0) / runs.length);
  return { runs, mean: { mota: mean((r) => r.mota), idf1: mean((r) => r.idf1), hota: mean((r) => r.hota), idsw: mean((r) => r.idsw) } };
}
