import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMotChallenge } from '../domain/eval/mot-challenge.parser';
import {
  evaluateOnNoisyGroundTruth,
  type EvaluationSequence,
  type TrackingEvaluation,
  type TrackingRunScores,
} from '../domain/eval/noisy-ground-truth.evaluation';
import { ByteTracker, BYTETRACK_BASELINE_OPTIONS } from '../domain/mot/byte-tracker';

/**
 * `npm run eval:tracking`: the tracker on TUD-Campus and TUD-Stadtmitte ground truth turned
 * into noisy detections (noise seeds 0-4, see `noisyDetectionsFromGroundTruth`), scored with
 * CLEAR-MOT, IDF1 and HOTA. Measures the previous tracker (`BYTETRACK_BASELINE_OPTIONS`) first,
 * then today's defaults, in the same run. Ends with one `name=value` line. Deterministic.
 */
export const EVAL_SEQUENCES = ['TUD-Campus', 'TUD-Stadtmitte'] as const;
export const EVAL_SEEDS = [0, 1, 2, 3, 4] as const;

function formatScores(s: Omit<TrackingRunScores, 'sequence' | 'seed'>): string {
  return `mota=${s.mota.toFixed(4)} idf1=${s.idf1.toFixed(4)} hota=${s.hota.toFixed(4)} idsw=${Number(s.idsw.toFixed(2))}`;
}

function report(label: string, evaluation: TrackingEvaluation): void {
  console.log(`${label}:`);
  for (const sequence of EVAL_SEQUENCES) {
    const runs = evaluation.runs.filter((r) => r.sequence === sequence);
    for (const r of runs) console.log(`  ${sequence} seed ${r.seed}: ${formatScores(r)}`);
    const mean = (pick: (r: TrackingRunScores) => number) => runs.reduce((s, r) => s + pick(r), 0) / runs.length;
    console.log(
      `  ${sequence} mean: ${formatScores({ mota: mean((r) => r.mota), idf1: mean((r) => r.idf1), hota: mean((r) => r.hota), idsw: mean((r) => r.idsw) })}`,
    );
  }
  console.log(`  mean of ${evaluation.runs.length} runs: ${formatScores(evaluation.mean)}`);
}

function main(): number {
  const candidates = [join(process.cwd(), '../shared/data/motmetrics'), join(__dirname, '../../../../../shared/data/motmetrics')];
  const dataDir = candidates.find((d) => existsSync(join(d, 'TUD-Campus/gt.txt')));
  if (!dataDir) {
    console.error(`eval:tracking needs the motmetrics sequences, looked in: ${candidates.join(', ')}`);
    return 1;
  }
  const sequences: EvaluationSequence[] = EVAL_SEQUENCES.map((name) => ({
    name,
    groundTruth: parseMotChallenge(readFileSync(join(dataDir, name, 'gt.txt'), 'utf8'), { minConfidence: 1, source: `${name}/gt.txt` }),
  }));
  console.log(
    `Tracker evaluation on ground truth turned into noisy detections (${EVAL_SEQUENCES.join(', ')}; noise seeds ${EVAL_SEEDS.join(', ')}; keep 90%, jitter N(0, 3% h), 10% low scores, 0.3 false boxes/frame)`,
  );
  const baseline = evaluateOnNoisyGroundTruth(sequences, EVAL_SEEDS, () => new ByteTracker(BYTETRACK_BASELINE_OPTIONS));
  report('Baseline (previous tracker: BYTETRACK_BASELINE_OPTIONS)', baseline);
  const current = evaluateOnNoisyGroundTruth(sequences, EVAL_SEEDS, () => new ByteTracker());
  report('Current defaults', current);
  const b = baseline.mean;
  const c = current.mean;
  const f = (v: number) => v.toFixed(4);
  console.log(
    `baseline_mota=${f(b.mota)} baseline_idf1=${f(b.idf1)} baseline_hota=${f(b.hota)} baseline_idsw=${Number(b.idsw.toFixed(2))} ` +
      `mota=${f(c.mota)} idf1=${f(c.idf1)} hota=${f(c.hota)} idsw=${Number(c.idsw.toFixed(2))} idf1_gain=${f(c.idf1 - b.idf1)} mota_gain=${f(c.mota - b.mota)}`,
  );
  return 0;
}

process.exitCode = main();
