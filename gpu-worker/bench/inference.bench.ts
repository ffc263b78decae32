/**
 * `npm run bench:inference`: MoveNet MultiPose per-frame latency (p50/p99) and frames/s on
 * onnxruntime-node versus the original model on TF.js wasm, same photos, same process, same
 * thread count; sharp preprocessing (decode + letterbox) reported separately.
 * Args: `--frames N` (default 60), `--threads N` (default 1).
 */
import 'reflect-metadata';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { MODEL_CATALOG } from '../models/model-catalog';
import { ensurePreparedModels, modelSourcePath } from '../models/prepared-model.store';
import { letterboxImage } from '../preprocess/letterbox.preprocessor';
import { packImages } from '../preprocess/tensor-layout';
import { loadTfjsReference } from './inference-tfjs-reference';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; fps: number }> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99), fps: (n * 1000) / total };
}

const fmt = (v: number): string => v.toFixed(2);

async function main(): Promise<void> {
  const frames = arg('frames', 60);
  const threads = arg('threads', 1);
  const sampleDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  const photos = readdirSync(sampleDir)
    .filter((f) => /^sample\d+\.jpg$/.test(f))
    .sort()
    .map((f) => readFileSync(path.join(sampleDir, f)));
  const [movenet] = await ensurePreparedModels({ models: ['movenet-multipose'] });
  if (!movenet) throw new Error('movenet-multipose was not prepared');

  const pre = await time(frames, (i) => letterboxImage(photos[i % photos.length] as Buffer, { width: 256, height: 256 }));
  const inputs = await Promise.all(
    photos.map(async (p) => packImages([(await letterboxImage(p, { width: 256, height: 256 })).rgb], 256, 256, 'nhwc', 'int32') as Int32Array),
  );
  const shape = [1, 256, 256, 3];

  const tfjs = await loadTfjsReference(modelSourcePath(MODEL_CATALOG['movenet-multipose']), { backend: 'wasm', threads });
  const session = await ort.InferenceSession.create(movenet.onnxPath, {
    intraOpNumThreads: tfjs.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const inputName = session.inputNames[0] as string;
  const runOrt = (i: number): Promise<unknown> => session.run({ [inputName]: new ort.Tensor('int32', inputs[i % inputs.length] as Int32Array, shape) });
  const runTfjs = (i: number): Promise<unknown> => tfjs.run(inputs[i % inputs.length] as Int32Array, shape);
  for (let i = 0; i < 5; i++) {
    await runOrt(i);
    await runTfjs(i);
  }
  const o = await time(frames, runOrt);
  const t = await time(frames, runTfjs);
  await session.release();
  tfjs.dispose();

  const speedup = t.p50 / o.p50;
  console.log(`MoveNet MultiPose Lightning 256x256, ${frames} frames over ${photos.length} photos, ${tfjs.threads} thread(s) each`);
  console.log(`preprocess (sharp decode+letterbox, 1920px JPEG): p50 ${fmt(pre.p50)} ms  p99 ${fmt(pre.p99)} ms  ${fmt(pre.fps)} frames/s`);
  console.log(`onnxruntime-node (cpu):   p50 ${fmt(o.p50)} ms  p99 ${fmt(o.p99)} ms  ${fmt(o.fps)} frames/s`);
  console.log(`tfjs (${tfjs.backend}):            p50 ${fmt(t.p50)} ms  p99 ${fmt(t.p99)} ms  ${fmt(t.fps)} frames/s`);
  console.log(
    `ort_p50_ms=${fmt(o.p50)} ort_p99_ms=${fmt(o.p99)} ort_fps=${fmt(o.fps)} tfjs_backend=${tfjs.backend} tfjs_p50_ms=${fmt(t.p50)} tfjs_p99_ms=${fmt(t.p99)} tfjs_fps=${fmt(t.fps)} speedup=${fmt(speedup)} preprocess_p50_ms=${fmt(pre.p50)} preprocess_p99_ms=${fmt(pre.p99)} threads=${tfjs.threads} frames=${frames}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
