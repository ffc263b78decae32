import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { evaluateMot, type MotMetrics } from '../domain/eval/mot-metrics';
import { parseMotChallenge } from '../domain/eval/mot-challenge.parser';
import { MotError } from '../domain/mot/mot.error';

const usage = 'mot-eval <gt.txt> <results.txt> [--iou 0.5] [--gt-min-confidence 1]';

/** Formats the metric report; the last line is the machine-readable `name=value` summary. */
export function formatMotReport(m: MotMetrics, header: string): string {
  const f = (v: number) => v.toFixed(6);
  const lines = [
    header,
    `frames                 ${m.frames}`,
    `gt boxes / ids         ${m.numObjects} / ${m.numUniqueObjects}`,
    `result boxes           ${m.numPredictions}`,
    `MOTA                   ${f(m.mota)}   1 - (FN + IDSW + FP) / gt boxes`,
    `MOTP                   ${f(m.motp)}   mean IoU of matched pairs (higher is better; py-motmetrics distance form 1 - IoU = ${f(m.motpDistance)})`,
    `IDF1 / IDP / IDR       ${f(m.idf1)} / ${f(m.idp)} / ${f(m.idr)}`,
    `recall / precision     ${f(m.recall)} / ${f(m.precision)}`,
    `ID switches            ${m.numSwitches}`,
    `fragmentations         ${m.numFragmentations}`,
    `false positives        ${m.numFalsePositives}`,
    `misses (FN)            ${m.numMisses}`,
    `mostly tracked / partially / mostly lost   ${m.mostlyTracked} / ${m.partiallyTracked} / ${m.mostlyLost}`,
    `mota=${f(m.mota)} motp=${f(m.motp)} idf1=${f(m.idf1)} idsw=${m.numSwitches} fp=${m.numFalsePositives} fn=${m.numMisses} mt=${m.mostlyTracked} ml=${m.mostlyLost} frag=${m.numFragmentations}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `mot-eval gt.txt results.txt`: CLEAR-MOT and IDF1 of a MOTChallenge result file against
 * ground truth, with py-motmetrics semantics (IoU >= 0.5; ground-truth rows with confidence
 * below 1 ignored, as MOT16+ marks them).
 */
export const motEvalCommand: CliCommand = {
  name: 'mot-eval',
  summary: 'CLEAR-MOT (MOTA, MOTP, IDSW, FP, FN, MT/ML, frag) and IDF1 of MOTChallenge results against ground truth',
  usage,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: { iou: { type: 'string', default: '0.5' }, 'gt-min-confidence': { type: 'string', default: '1' } },
      });
    } catch (err) {
      io.stderr.write(`mot-eval: ${(err as Error).message}\nusage: ${usage}\n`);
      return 2;
    }
    const [gtPath, resultsPath] = parsed.positionals;
    const iou = Number(parsed.values.iou);
    const gtMinConfidence = Number(parsed.values['gt-min-confidence']);
    if (parsed.positionals.length !== 2 || !gtPath || !resultsPath || !(iou > 0 && iou <= 1) || !Number.isFinite(gtMinConfidence)) {
      io.stderr.write(`mot-eval: expected two files, --iou in (0, 1] and a numeric --gt-min-confidence\nusage: ${usage}\n`);
      return 2;
    }
    try {
      const gt = parseMotChallenge(await readFile(gtPath, 'utf8'), { minConfidence: gtMinConfidence, source: gtPath });
      const results = parseMotChallenge(await readFile(resultsPath, 'utf8'), { source: resultsPath });
      const metrics = evaluateMot(gt, results, { iouThreshold: iou });
      io.stdout.write(formatMotReport(metrics, `MOT evaluation of ${resultsPath} against ${gtPath} (pairs need IoU >= ${iou})`));
      return 0;
    } catch (err) {
      if (err instanceof MotError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        io.stderr.write(`mot-eval: ${(err as Error).message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
