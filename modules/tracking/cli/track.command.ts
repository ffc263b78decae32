import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { formatMotChallenge, parseMotChallenge } from '../domain/eval/mot-challenge.parser';
import { trackMotRows } from '../domain/eval/track-mot-rows';
import { ByteTracker } from '../domain/mot/byte-tracker';
import { MotError } from '../domain/mot/mot.error';

const usage = 'track <det.txt> <out.txt> [--high 0.5] [--low 0.1] [--new-track 0.6] [--lost-buffer 30] [--min-hits 2]';

/**
 * `track det.txt out.txt`: runs the ByteTrack-style tracker alone over MOTChallenge
 * detections (`frame,-1,x,y,w,h,score,...`) and writes MOTChallenge results, so it can be
 * compared with other trackers on the same detections (`mot-eval gt.txt out.txt`).
 */
export const trackCommand: CliCommand = {
  name: 'track',
  summary: 'Run the tracker over a MOTChallenge detections file and write MOTChallenge results',
  usage,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          high: { type: 'string', default: '0.5' },
          low: { type: 'string', default: '0.1' },
          'new-track': { type: 'string', default: '0.6' },
          'lost-buffer': { type: 'string', default: '30' },
          'min-hits': { type: 'string', default: '2' },
        },
      });
    } catch (err) {
      io.stderr.write(`track: ${(err as Error).message}\nusage: ${usage}\n`);
      return 2;
    }
    const [detPath, outPath] = parsed.positionals;
    const numbers = {
      highThreshold: Number(parsed.values.high),
      lowThreshold: Number(parsed.values.low),
      newTrackThreshold: Number(parsed.values['new-track']),
      lostTrackBuffer: Number(parsed.values['lost-buffer']),
      minHitsToConfirm: Number(parsed.values['min-hits']),
    };
    if (parsed.positionals.length !== 2 || !detPath || !outPath || !Object.values(numbers).every(Number.isFinite)) {
      io.stderr.write(`track: expected a detections file, an output file and numeric options\nusage: ${usage}\n`);
      return 2;
    }
    try {
      const tracker = new ByteTracker(numbers);
      const detections = parseMotChallenge(await readFile(detPath, 'utf8'), { source: detPath });
      const started = performance.now();
      const results = trackMotRows(detections, tracker);
      const elapsed = performance.now() - started;
      await writeFile(outPath, formatMotChallenge(results));
      const ids = new Set(results.map((r) => r.id)).size;
      io.stdout.write(
        `tracked ${tracker.frameCount} frames, ${detections.length} detections -> ${results.length} boxes on ${ids} tracks in ${elapsed.toFixed(1)} ms; wrote ${outPath}\n` +
          `frames=${tracker.frameCount} detections=${detections.length} boxes=${results.length} tracks=${ids} ms=${elapsed.toFixed(1)}\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof MotError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        io.stderr.write(`track: ${(err as Error).message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
