/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import * as ort from 'onnxruntime-node';
import { type TfjsReference, loadTfjsReference } from '../bench/inference-tfjs-reference';
import { decodeCenterNetPersons } from '../postprocess/centernet.decoder';
import { decodeNanoDetPersons } from '../postprocess/nanodet.decoder';
import { type ScoredBox, nonMaxSuppression } from '../postprocess/non-max-suppression';
import { decodeFrame, resizeRegion, sampleSquareInto } from '../preprocess/frame-raster';
import { packImages } from '../preprocess/tensor-layout';
import { MODEL_CATALOG, type PreparedModelName } from './model-catalog';
import { ensurePreparedModels, modelSourcePath } from './prepared-model.store';

// The SCENE models (person detectors and MoveNet SinglePose) on onnxruntime-node and on the
// original TF.js runtime, same inputs: random tensors and frames of vtest.avi (a store-like
// fixed camera), every graph output compared.
const TOLERANCE = 1e-3;
const MODELS = ['nanodet-m', 'movenet-lightning', 'centernet'] as const satisfies readonly PreparedModelName[];
type SceneModel = (typeof MODELS)[number];

interface Pair {
  session: ort.InferenceSession;
  reference: TfjsReference;
}
const pairs = new Map<SceneModel, Pair>();
const pairOf = (name: SceneModel): Pair =>
  pairs.get(name) ??
  (() => {
    throw new Error(`${name} not loaded`);
  })();

/** Every output of both runtimes, in catalog order. */
async function runBoth(name: SceneModel, data: Int32Array | Float32Array, shape: number[]): Promise<{ onnx: Float32Array[]; tfjs: Float32Array[] }> {
  const pair = pairOf(name);
  const spec = MODEL_CATALOG[name];
  const type = data instanceof Int32Array ? 'int32' : 'float32';
  const out = await pair.session.run({ [pair.session.inputNames[0] as string]: new ort.Tensor(type, data, shape) });
  const onnx = spec.outputs.map((o) => out[o.onnxName]?.data as Float32Array);
  const tfjs = await pair.reference.runOutputs(
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

function shapeOf(name: SceneModel): number[] {
  return MODEL_CATALOG[name].input.shape.map((d) => (typeof d === 'number' ? d : 1));
}

function random(name: SceneModel, seed: number): Int32Array | Float32Array {
  let state = seed * 7919;
  const rand = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = shapeOf(name).reduce((a, b) => a * b, 1);
  if (name === 'movenet-lightning') return Int32Array.from({ length: n }, () => Math.floor(rand() * 256));
  return Float32Array.from({ length: n }, () => (name === 'nanodet-m' ? rand() : rand() * 255));
}

const nanoDetBoxes = (outputs: readonly Float32Array[]): ScoredBox[] => {
  const boxes = decodeNanoDetPersons(
    [13, 26, 52].map((grid, k) => ({ grid, scores: outputs[2 * k] as Float32Array, boxes: outputs[2 * k + 1] as Float32Array })),
    416,
  );
  return nonMaxSuppression(boxes, 0.5, 50).map((i) => boxes[i] as ScoredBox);
};

function expectSameBoxes(a: readonly ScoredBox[], b: readonly ScoredBox[], tolerancePx: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((p, i) => {
    const q = b[i] as ScoredBox;
    for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(p[k] - q[k])).toBeLessThanOrEqual(tolerancePx);
    expect(Math.abs(p.score - q.score)).toBeLessThanOrEqual(TOLERANCE);
  });
}

beforeAll(async () => {
  const prepared = await ensurePreparedModels({ models: MODELS });
  for (const model of prepared) {
    const session = await ort.InferenceSession.create(model.onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const reference = await loadTfjsReference(modelSourcePath(MODEL_CATALOG[model.name]));
    pairs.set(model.name as SceneModel, { session, reference });
  }
}, 180_000);

afterAll(async () => {
  for (const p of pairs.values()) {
    await p.session.release();
    p.reference.dispose();
  }
});

describe('SCENE models: ONNX vs TF.js parity on random tensors', () => {
  it.each(MODELS.flatMap((m) => [[m, 1] as const, [m, 2] as const]))(
    '%s on random tensor #%i: every output within 1e-3',
    async (name, seed) => {
      const { onnx, tfjs } = await runBoth(name, random(name, seed), shapeOf(name));
      expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
    },
    60_000,
  );
});

const video = sharedDataPath('video/vtest.avi');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';

describeWithInputs([video, ffmpeg], 'the SCENE parity check on vtest.avi')('SCENE models: ONNX vs TF.js parity on vtest.avi frames', () => {
  let dir: string;
  let frames: Buffer[] = [];
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vtest-parity-'));
    // Four frames spread over the clip (every 150th).
    execFileSync(ffmpeg, [
      '-loglevel',
      'error',
      '-i',
      video,
      '-vf',
      'select=not(mod(n\\,150))',
      '-vsync',
      'vfr',
      '-frames:v',
      '4',
      '-q:v',
      '3',
      path.join(dir, 'f%02d.jpg'),
    ]);
    frames = readdirSync(dir)
      .sort()
      .map((f) => readFileSync(path.join(dir, f)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('nanodet-m: same outputs, same person boxes', async () => {
    expect(frames).toHaveLength(4);
    let people = 0;
    for (const bytes of frames) {
      const raster = await decodeFrame(bytes);
      const rgb = await resizeRegion(raster, { x: 0, y: 0, width: raster.width, height: raster.height }, 416, 416);
      const data = packImages([rgb], 416, 416, 'nchw', 'float32', { mean: 0, std: 255 }) as Float32Array;
      const { onnx, tfjs } = await runBoth('nanodet-m', data, [1, 3, 416, 416]);
      expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
      const a = nanoDetBoxes(onnx);
      expectSameBoxes(a, nanoDetBoxes(tfjs), 0.5);
      people += a.length;
    }
    expect(people).toBeGreaterThanOrEqual(4 * 4);
  }, 120_000);

  it('centernet: same outputs, same person boxes', async () => {
    for (const bytes of frames) {
      const raster = await decodeFrame(bytes);
      const rgb = await resizeRegion(raster, { x: 0, y: 0, width: raster.width, height: raster.height }, 512, 512);
      const { onnx, tfjs } = await runBoth('centernet', Float32Array.from(rgb), [1, 512, 512, 3]);
      expect(maxAbsDiff(onnx, tfjs)).toBeLessThanOrEqual(TOLERANCE);
      expectSameBoxes(decodeCenterNetPersons(onnx[0] as Float32Array), decodeCenterNetPersons(tfjs[0] as Float32Array), 0.5);
    }
  }, 120_000);

  it('movenet-lightning on person crops found by nanodet-m: same keypoints', async () => {
    let crops = 0;
    for (const bytes of frames) {
      const raster = await decodeFrame(bytes);
      const rgb = await resizeRegion(raster, { x: 0, y: 0, width: raster.width, height: raster.height }, 416, 416);
      const { onnx } = await runBoth('nanodet-m', packImages([rgb], 416, 416, 'nchw', 'float32', { mean: 0, std: 255 }) as Float32Array, [1, 3, 416, 416]);
      for (const b of nanoDetBoxes(onnx).slice(0, 3)) {
        const [sx, sy] = [raster.width / 416, raster.height / 416];
        const side = Math.max((b.x2 - b.x1) * sx, (b.y2 - b.y1) * sy) * 1.25;
        const input = new Int32Array(192 * 192 * 3);
        sampleSquareInto(raster, ((b.x1 + b.x2) / 2) * sx - side / 2, ((b.y1 + b.y2) / 2) * sy - side / 2, side, 192, input, 0);
        const both = await runBoth('movenet-lightning', input, [1, 192, 192, 3]);
        expect(maxAbsDiff(both.onnx, both.tfjs)).toBeLessThanOrEqual(TOLERANCE);
        crops++;
      }
    }
    expect(crops).toBeGreaterThanOrEqual(8);
  }, 120_000);
});
