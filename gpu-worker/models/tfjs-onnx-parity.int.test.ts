/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { type TfjsReference, loadTfjsReference } from '../bench/inference-tfjs-reference';
import { faceRegionFromKeypoints } from '../postprocess/face-embedding';
import { decodeMoveNetMultiPose } from '../postprocess/movenet-multipose.decoder';
import { cropSquare, letterboxImage } from '../preprocess/letterbox.preprocessor';
import { packImages } from '../preprocess/tensor-layout';
import { MODEL_CATALOG, type PreparedModelName } from './model-catalog';
import { type PreparedModel, ensurePreparedModels, modelSourcePath } from './prepared-model.store';

// Each prepared model, run on onnxruntime-node and on the original TF.js runtime with the same
// inputs: random tensors and the photographs shipped in @vladmandic/face-api.
const TOLERANCE = 1e-3;
const sampleDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const photos = readdirSync(sampleDir)
  .filter((f) => /^sample\d+\.jpg$/.test(f))
  .sort()
  .map((f) => ({ name: f, bytes: readFileSync(path.join(sampleDir, f)) }));

interface Pair {
  model: PreparedModel;
  session: ort.InferenceSession;
  reference: TfjsReference;
}
const pairs = new Map<PreparedModelName, Pair>();

async function runOnnx(pair: Pair, data: Int32Array | Float32Array, shape: number[]): Promise<Float32Array> {
  const type = data instanceof Int32Array ? 'int32' : 'float32';
  const out = await pair.session.run({ [pair.session.inputNames[0] as string]: new ort.Tensor(type, data, shape) });
  return out[pair.session.outputNames[0] as string]?.data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

function pairOf(name: PreparedModelName): Pair {
  const p = pairs.get(name);
  if (!p) throw new Error(`${name} not loaded`);
  return p;
}

beforeAll(async () => {
  // The SCENE models have their own file (tfjs-onnx-parity.scene.int.test.ts).
  const prepared = await ensurePreparedModels({ models: ['movenet-multipose', 'mobilefacenet'] });
  for (const model of prepared) {
    const session = await ort.InferenceSession.create(model.onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const reference = await loadTfjsReference(modelSourcePath(MODEL_CATALOG[model.name]));
    pairs.set(model.name, { model, session, reference });
  }
}, 120_000);

afterAll(async () => {
  for (const p of pairs.values()) {
    await p.session.release();
    p.reference.dispose();
  }
});

describe('ONNX vs TF.js parity', () => {
  it.each([
    ['movenet-multipose' as const, 1],
    ['movenet-multipose' as const, 2],
    ['mobilefacenet' as const, 1],
    ['mobilefacenet' as const, 2],
  ])('%s on random tensor #%i: max abs diff <= 1e-3', async (name, seed) => {
    const pair = pairOf(name);
    let state = seed * 7919;
    const rand = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    const shape = name === 'movenet-multipose' ? [1, 256, 256, 3] : [2, 112, 112, 3];
    const n = shape.reduce((a, b) => a * b, 1);
    const data = name === 'movenet-multipose' ? Int32Array.from({ length: n }, () => Math.floor(rand() * 256)) : Float32Array.from({ length: n }, () => rand() * 2 - 1);
    const [onnx, tfjs] = [await runOnnx(pair, data, shape), await pair.reference.run(data, shape)];
    expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(photos.map((p) => [p.name, p.bytes] as const))(
    'movenet-multipose on %s: same output, same persons, boxes within 1%% of the image',
    async (_name, bytes) => {
      const pair = pairOf('movenet-multipose');
      const { rgb, transform } = await letterboxImage(bytes, { width: 256, height: 256 });
      const data = packImages([rgb], 256, 256, 'nhwc', 'int32') as Int32Array;
      const shape = [1, 256, 256, 3];
      const [onnx, tfjs] = [await runOnnx(pair, data, shape), await pair.reference.run(data, shape)];
      expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
      const a = decodeMoveNetMultiPose(onnx, transform);
      const b = decodeMoveNetMultiPose(tfjs, transform);
      expect(a.length).toBe(b.length);
      expect(a.length).toBeGreaterThan(0);
      const tolX = transform.sourceWidth * 0.01;
      const tolY = transform.sourceHeight * 0.01;
      a.forEach((p, i) => {
        const q = b[i]!;
        expect(Math.abs(p.box.x - q.box.x)).toBeLessThanOrEqual(tolX);
        expect(Math.abs(p.box.y - q.box.y)).toBeLessThanOrEqual(tolY);
        expect(Math.abs(p.box.width - q.box.width)).toBeLessThanOrEqual(tolX);
        expect(Math.abs(p.box.height - q.box.height)).toBeLessThanOrEqual(tolY);
      });
    },
  );

  it('mobilefacenet on face crops located with MoveNet keypoints: same embeddings, unit length', async () => {
    const pose = pairOf('movenet-multipose');
    const face = pairOf('mobilefacenet');
    const crops: Uint8Array[] = [];
    for (const photo of photos) {
      const { rgb, transform } = await letterboxImage(photo.bytes, { width: 256, height: 256 });
      const persons = decodeMoveNetMultiPose(await runOnnx(pose, packImages([rgb], 256, 256, 'nhwc', 'int32'), [1, 256, 256, 3]), transform);
      for (const p of persons) {
        const region = faceRegionFromKeypoints(p.keypoints, transform.sourceWidth, transform.sourceHeight);
        if (region) crops.push(await cropSquare(photo.bytes, region, 112));
      }
    }
    expect(crops.length).toBeGreaterThanOrEqual(photos.length);
    const data = packImages(crops, 112, 112, 'nhwc', 'float32', { mean: 127.5, std: 128 }) as Float32Array;
    const shape = [crops.length, 112, 112, 3];
    const [onnx, tfjs] = [await runOnnx(face, data, shape), await face.reference.run(data, shape)];
    expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
    const dim = onnx.length / crops.length;
    for (let i = 0; i < crops.length; i++) {
      const norm = Math.hypot(...onnx.subarray(i * dim, (i + 1) * dim));
      expect(norm).toBeCloseTo(1, 3);
    }
  });
});
