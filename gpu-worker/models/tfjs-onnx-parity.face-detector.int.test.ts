/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import * as ort from 'onnxruntime-node';
import { type TfjsReference, loadTfjsReference } from '../bench/inference-tfjs-reference';
import { blazeFaceInput } from '../inference/face-detector';
import { decodeBlazeFace } from '../postprocess/blazeface.decoder';
import { decodeFrame } from '../preprocess/frame-raster';
import { MODEL_CATALOG } from './model-catalog';
import { ensurePreparedModels, modelSourcePath } from './prepared-model.store';

// BlazeFace (the photo face detector) on onnxruntime-node and on the original TF.js runtime,
// same inputs: random tensors and the shared face photos; every output compared, then the
// decoded faces (boxes and keypoints) of both runtimes.
const TOLERANCE = 1e-3;
const spec = MODEL_CATALOG.blazeface;
const photos = ['amy', 'howard', 'penny'].map((p) => sharedDataPath(`faces/${p}/${p}1.png`));

let session: ort.InferenceSession;
let reference: TfjsReference;

async function runBoth(data: Float32Array): Promise<{ onnx: Float32Array[]; tfjs: Float32Array[] }> {
  const shape = [1, 256, 256, 3];
  const out = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', data, shape) });
  const onnx = spec.outputs.map((o) => out[o.onnxName]?.data as Float32Array);
  const tfjs = await reference.runOutputs(
    data,
    shape,
    spec.outputs.map((o) => o.tfName),
  );
  return { onnx, tfjs };
}

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  a.forEach((x, k) => {
    const y = b[k] as Float32Array;
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
  });
  return max;
}

beforeAll(async () => {
  const [prepared] = await ensurePreparedModels({ models: ['blazeface'] });
  session = await ort.InferenceSession.create(prepared!.onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  reference = await loadTfjsReference(modelSourcePath(spec));
}, 120_000);

afterAll(async () => {
  await session?.release();
  reference?.dispose();
});

describe('BlazeFace ONNX vs TF.js parity', () => {
  it.each([1, 2])('random tensor #%i: every output within 1e-3', async (seed) => {
    let state = seed * 7919;
    const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const data = Float32Array.from({ length: 256 * 256 * 3 }, () => rand() * 2 - 1);
    const { onnx, tfjs } = await runBoth(data);
    expect(onnx.map((o) => o.length).sort((a, b) => a - b)).toEqual([384, 512, 6144, 8192]);
    expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describeWithInputs(photos, 'the BlazeFace parity check on face photos')('BlazeFace parity on the shared face photos', () => {
  // On a real photo the raw outputs are large (background logits around -100, regressors in
  // input pixels up to ~150), where float32 accumulation in two runtimes differs by up to 0.0034
  // (1e-5 relative). They are compared as the decoder reads them: scores as sigmoid(logit),
  // regressors as fractions of the input side (MediaPipe's own normalisation, x_scale = 256).
  it.each(photos)('%s: scores and normalised regressors within 1e-3, the same face, box and keypoints within 0.5 px', async (file) => {
    const frame = await decodeFrame(readFileSync(file));
    const { data, transform } = await blazeFaceInput(frame);
    const { onnx, tfjs } = await runBoth(data);
    const normalised = (outs: Float32Array[]): Float32Array[] => outs.map((o) => (o.length > 512 ? o.map((v) => v / 256) : o.map((v) => 1 / (1 + Math.exp(-v)))));
    expect(maxAbsDiff(normalised(onnx), normalised(tfjs))).toBeLessThanOrEqual(TOLERANCE);
    const [a, b] = [decodeBlazeFace(onnx, transform), decodeBlazeFace(tfjs, transform)];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    const [fa, fb] = [a[0]!, b[0]!];
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(fa.box[k] - fb.box[k])).toBeLessThanOrEqual(0.5);
    fa.keypoints.forEach((p, i) => {
      expect(Math.abs(p.x - fb.keypoints[i]!.x)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(p.y - fb.keypoints[i]!.y)).toBeLessThanOrEqual(0.5);
    });
  });
});
