/**
 * Entry point: `node gpu-worker/dist/models/prepare-models.js [--cache-dir DIR] [model...]`.
 * Converts the shipped TF.js models to ONNX when missing or stale (see ensurePreparedModels).
 * Exit code 1 with the reason when a model cannot be prepared.
 */
import 'reflect-metadata';
import type { PreparedModelName } from './model-catalog';
import { ensurePreparedModels } from './prepared-model.store';

async function main(argv: readonly string[]): Promise<void> {
  const cacheIndex = argv.indexOf('--cache-dir');
  const cacheDir = cacheIndex >= 0 ? argv[cacheIndex + 1] : undefined;
  const models = argv.filter((a, i) => !a.startsWith('--') && (cacheIndex < 0 || i !== cacheIndex + 1)) as PreparedModelName[];
  await ensurePreparedModels({
    ...(cacheDir ? { cacheDir } : {}),
    ...(models.length > 0 ? { models } : {}),
    log: (line) => process.stdout.write(`[models] ${line}\n`),
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`[models] preparation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
