import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MODEL_CATALOG, type ModelSourceSpec, type PreparedModelName, modelSpecOrThrow } from './model-catalog';
import { ModelPreparationError, ModelPreparationErrorCode } from './model-preparation.error';
import { loadTfjsGraphModel, tfjsModelChecksum } from './tfjs/tfjs-graph-model.loader';
import { convertTfjsGraphToOnnx } from './tfjs/tfjs-to-onnx.converter';

/** Bump when the converter's output for the same source changes; forces re-preparation. */
export const CONVERTER_VERSION = 1;

const sidecarSchema = z.object({
  name: z.string(),
  sourcePackage: z.string(),
  sourceVersion: z.string(),
  sourceFile: z.string(),
  sourceSha256: z.string(),
  onnxSha256: z.string(),
  converterVersion: z.number(),
  preparedAt: z.string(),
  inputName: z.string(),
  inputShape: z.array(z.union([z.number(), z.string()])),
  outputName: z.string(),
  tfOps: z.array(z.string()),
});

/** What `<name>.onnx.json` beside each prepared model records. */
export type PreparedModelSidecar = z.infer<typeof sidecarSchema>;

/** A prepared model on disk. */
export interface PreparedModel {
  name: PreparedModelName;
  onnxPath: string;
  sidecar: PreparedModelSidecar;
  /** True when this call converted it (missing, stale or corrupt cache). */
  converted: boolean;
}

/** Options of {@link ensurePreparedModels}. */
export interface EnsurePreparedModelsOptions {
  /** Cache folder. Default: `<repo>/.trinetra/models` (gitignored). */
  cacheDir?: string;
  /** Which models. Default: all in {@link MODEL_CATALOG}. */
  models?: readonly PreparedModelName[];
  /** Progress lines; default silent. */
  log?: (line: string) => void;
  /**
   * What to do with a prepared file that no longer matches the checksum its sidecar recorded
   * (changed on disk after preparation: corruption, a partial copy, tampering). `convert`
   * (default; `npm run models:prepare`) converts it again; `fail` throws `CHECKSUM_MISMATCH`
   * naming the file, which is what a worker loading its models does: it must not run, or
   * silently rewrite, a model file someone changed under it.
   */
  onModified?: 'convert' | 'fail';
}

/** `<repo>/.trinetra/models`, found by walking up to the root package.json with workspaces. */
export function defaultModelCacheDir(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(path.join(dir, 'gpu-worker'))) return path.join(dir, '.trinetra', 'models');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('.trinetra', 'models');
    dir = parent;
  }
}

/** Absolute path of a model's model.json inside its installed package. */
export function modelSourcePath(spec: ModelSourceSpec): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${spec.sourcePackage}/package.json`);
  } catch (cause) {
    throw new ModelPreparationError(
      ModelPreparationErrorCode.SOURCE_MISSING,
      `${spec.sourcePackage} is not installed; run \`npm install\` at the repository root`,
      { package: spec.sourcePackage },
      { cause },
    );
  }
  return path.join(path.dirname(pkgJson), spec.sourceFile);
}

function sourceVersion(spec: ModelSourceSpec): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${spec.sourcePackage}/package.json`), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function readSidecar(file: string): Promise<PreparedModelSidecar | undefined> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Converts one model and writes `<name>.onnx` + `<name>.onnx.json` atomically (temp + rename). */
async function prepare(spec: ModelSourceSpec, cacheDir: string, onnxPath: string, sidecarPath: string): Promise<PreparedModelSidecar> {
  const sourcePath = modelSourcePath(spec);
  const model = await loadTfjsGraphModel(sourcePath);
  const converted = convertTfjsGraphToOnnx(model, {
    graphName: spec.name,
    inputShapes: { [spec.input.tfName]: spec.input.shape },
    outputs: spec.outputs.map((o) => ({ tf: o.tfName, onnx: o.onnxName })),
    metadata: { source: `${spec.sourcePackage}/${spec.sourceFile}`, sourceSha256: model.sourceSha256 },
  });
  const sidecar: PreparedModelSidecar = {
    name: spec.name,
    sourcePackage: spec.sourcePackage,
    sourceVersion: sourceVersion(spec),
    sourceFile: spec.sourceFile,
    sourceSha256: model.sourceSha256,
    onnxSha256: sha256(converted.bytes),
    converterVersion: CONVERTER_VERSION,
    preparedAt: new Date().toISOString(),
    inputName: converted.inputs[0]?.name ?? spec.input.tfName,
    inputShape: [...spec.input.shape],
    outputName: spec.outputs.map((o) => o.onnxName).join(','),
    tfOps: converted.tfOps,
  };
  await mkdir(cacheDir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  await writeFile(onnxPath + suffix, converted.bytes);
  await writeFile(sidecarPath + suffix, JSON.stringify(sidecar, null, 2) + '\n');
  await rename(onnxPath + suffix, onnxPath);
  await rename(sidecarPath + suffix, sidecarPath);
  return sidecar;
}

/**
 * Makes sure every requested model exists as ONNX in the cache and matches its source:
 * converts when the file or its sidecar is missing, when the source checksum or converter
 * version changed, or when the ONNX file does not match the checksum its sidecar recorded.
 * Cheap when everything is current (hashes ~15 MB).
 */
export async function ensurePreparedModels(options: EnsurePreparedModelsOptions = {}): Promise<PreparedModel[]> {
  const cacheDir = options.cacheDir ?? defaultModelCacheDir();
  const names = options.models ?? (Object.keys(MODEL_CATALOG) as PreparedModelName[]);
  const log = options.log ?? (() => undefined);
  const result: PreparedModel[] = [];
  for (const name of names) {
    const spec = modelSpecOrThrow(name);
    const onnxPath = path.join(cacheDir, `${name}.onnx`);
    const sidecarPath = `${onnxPath}.json`;
    const sourceSha = await tfjsModelChecksum(modelSourcePath(spec));
    const existing = await readSidecar(sidecarPath);
    let stale = !existing
      ? 'missing'
      : existing.sourceSha256 !== sourceSha
        ? 'source changed'
        : existing.converterVersion !== CONVERTER_VERSION
          ? 'converter changed'
          : undefined;
    if (!stale && existing) {
      const bytes = await readFile(onnxPath).catch(() => undefined);
      if (bytes && sha256(bytes) !== existing.onnxSha256 && options.onModified === 'fail') {
        throw new ModelPreparationError(
          ModelPreparationErrorCode.CHECKSUM_MISMATCH,
          `prepared model ${onnxPath} does not match the sha256 recorded in ${sidecarPath} (modified after preparation); run \`npm run models:prepare\` to convert it again`,
          { file: onnxPath, model: name },
        );
      }
      if (!bytes || sha256(bytes) !== existing.onnxSha256) stale = 'onnx file missing or modified';
    }
    if (stale || !existing) {
      const started = Date.now();
      const sidecar = await prepare(spec, cacheDir, onnxPath, sidecarPath);
      log(`prepared ${name} (${stale}) -> ${onnxPath} in ${Date.now() - started} ms`);
      result.push({ name, onnxPath, sidecar, converted: true });
    } else {
      log(`${name} is current (${onnxPath})`);
      result.push({ name, onnxPath, sidecar: existing, converted: false });
    }
  }
  return result;
}
