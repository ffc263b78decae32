import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { evaluateHota, type HotaMetrics } from '../domain/eval/hota-metrics';
import { evaluateMot, type MotMetrics } from '../domain/eval/mot-metrics';
import { parseMotChallenge } from '../domain/eval/mot-challenge.parser';
import { MotError } from '../domain/mot/mot.error';

const usage = 'mot-eval <gt.txt> <results.txt> [--iou 0.5] [--gt-min-confidence 1]';

/** Formats the metric report; the last line is the machine-readable `name=value` summary. */
export function formatMotReport(m: MotMetrics, header: string, h?: HotaMetrics): string {
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
    ...(h
      ? [
          `HOTA                   ${f(h.hota)}   mean over IoU thresholds 0.05..0.95 of sqrt(DetA * AssA) (TrackEval semantics)`,
          `DetA / AssA / LocA     ${f(h.detA)} / ${f(h.assA)} / ${f(h.locA)}`,
          `DetRe / DetPr          ${f(h.detRe)} / ${f(h.detPr)}`,
          `AssRe / AssPr          ${f(h.assRe)} / ${f(h.assPr)}`,
        ]
      : []),
    `mota=${f(m.mota)} motp=${f(m.motp)} idf1=${f(m.idf1)} idsw=${m.numSwitches} fp=${m.numFalsePositives} fn=${m.numMisses} mt=${m.mostlyTracked} ml=${m.mostlyLost} frag=${m.numFragmentations}` +
      (h ? ` hota=${f(h.hota)} deta=${f(h.detA)} assa=${f(h.assA)} loca=${f(h.locA)}` : ''),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `mot-eval gt.txt results.txt`: CLEAR-MOT and IDF1 of a MOTChallenge result file against
 * ground truth, with py-motmetrics semantics (IoU >= 0.5; ground-truth rows with confidence
 * below 1 ignored, as MOT16+ marks them), and HOTA with TrackEval semantics.
 */
export const motEvalCommand: CliCommand = {
  name: 'mot-eval',
  summary: 'CLEAR-MOT (MOTA, MOTP, IDSW, FP, FN, MT/ML, frag), IDF1 and HOTA (DetA, AssA, LocA) of MOTChallenge results against ground truth',
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
      // HOTA sweeps its own IoU thresholds; --iou applies to CLEAR-MOT and IDF1 only.
      const hota = evaluateHota(gt, results);
      io.stdout.write(formatMotReport(metrics, `MOT evaluation of ${resultsPath} against ${gtPath} (CLEAR-MOT/IDF1 pairs need IoU >= ${iou})`, hota));
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
