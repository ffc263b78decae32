import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CliCommand, CliIo } from '@trinetra/shared';
import { calibrate, formatCalibrationReport } from '../application/calibration';
import type { FaceEmbeddingPort } from '../application/face-embedding.port';
import type { LabelledEmbedding } from '../domain/verification-metrics';
import { type MasterKeyCliDeps, ROTATE_USAGE, runRotateMasterKey } from './rotate-master-key.command';

const PHOTO = /\.(png|jpe?g)$/i;
/** A labelled folder is for calibration, not a photo archive: refuse to read more than this. */
const MAX_PHOTOS = 5_000;

const CALIBRATE_USAGE = `usage: npm run cli -- identity calibrate <folder> [--beta 0.5]
  <folder> holds one subfolder per person with that person's face photos (PNG or JPEG).
  Prints genuine/impostor score distributions, the ROC and the threshold maximising F-beta.`;
const USAGE = `${CALIBRATE_USAGE}\n${ROTATE_USAGE}`;

/** Reads `<folder>/<person>/<photo>` into labelled photo bytes, sorted for a stable report. */
async function readLabelledFolder(folder: string): Promise<{ label: string; file: string; bytes: Buffer }[]> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${folder} is not a folder`);
  const out: { label: string; file: string; bytes: Buffer }[] = [];
  for (const person of (await readdir(folder, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const name of (await readdir(path.join(folder, person))).filter((f) => PHOTO.test(f)).sort()) {
      if (out.length >= MAX_PHOTOS) throw new Error(`more than ${MAX_PHOTOS} photos under ${folder}`);
      const file = path.join(folder, person, name);
      out.push({ label: person, file, bytes: await readFile(file) });
    }
  }
  return out;
}

/**
 * `identity calibrate`: the threshold for this embedder on the caller's own labelled faces.
 * `identity rotate-master-key`: re-wrap every tenant's data key with a new master key; `env` is
 * where it reads the keys (the process's environment in the CLI).
 */
export function identityCliCommands(faces: FaceEmbeddingPort, keys: MasterKeyCliDeps, env: Readonly<Record<string, string | undefined>>): CliCommand[] {
  return [
    {
      name: 'identity',
      summary: 'identity calibrate <labelled folder> | rotate-master-key [--dry-run]',
      usage: USAGE,
      async run(argv: readonly string[], io: CliIo): Promise<number> {
        const [sub, folder, ...rest] = argv;
        if (sub === 'rotate-master-key') return runRotateMasterKey(argv.slice(1), io, keys, env);
        if (sub !== 'calibrate' || !folder) {
          io.stderr.write(`${USAGE}\n`);
          return 2;
        }
        let beta = 0.5;
        if (rest[0] === '--beta') {
          beta = Number(rest[1]);
          if (!(beta > 0 && beta <= 10)) {
            io.stderr.write('--beta must be a number in (0, 10]\n');
            return 2;
          }
        }
        const photos = await readLabelledFolder(folder);
        const results = await faces.embedFacePhotos(photos.map((p) => p.bytes));
        const samples: LabelledEmbedding[] = [];
        results.forEach((r, i) => {
          if (r.ok) samples.push({ label: photos[i]!.label, embedding: r.embedding });
          else io.stderr.write(`skipped ${photos[i]!.file}: ${r.message} (${r.code})\n`);
        });
        try {
          io.stdout.write(`embedder ${faces.model}\n${formatCalibrationReport(calibrate(samples, beta))}\n`);
          return 0;
        } catch (error) {
          io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
          return 1;
        }
      },
    },
  ];
}
