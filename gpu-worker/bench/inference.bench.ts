/**
 * `npm run bench:inference`:
 * 1. CLOSE_UP: MoveNet MultiPose per-frame latency (p50/p99) and frames/s on onnxruntime-node
 *    versus the original model on TF.js wasm, same photos, same process, same thread count;
 *    sharp preprocessing (decode + letterbox) reported separately.
 * 2. SCENE: the whole SCENE backend (decode, detector, one pose run per person) on
 *    frames of vtest.avi (every 5th; 768x576, fixed camera, 5-12 pedestrians), with 1 and 2 onnxruntime
 *    threads, for each detector, untiled and tiled; frames/s by wall clock and CPU ms per frame
 *    (the latter does not depend on what else the machine runs).
 * Ends with one `name=value` line. Args: `--frames N` (default 60), `--threads N` (default 1),
 * `--scene-frames N` (default 40).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { createSceneBackend } from '../inference/create-scene-backend';
import type { FrameInput } from '../inference/inference-backend';
import { PERSON_DETECTORS, type PersonDetectorKind } from '../inference/person-detector.adapter';
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

/** `<repo>/../shared/data/video/vtest.avi`, as the tests find it. */
function vtestPath(): string {
  return path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data', 'video', 'vtest.avi');
}

interface SceneRun {
  fps: number;
  cpuMsPerFrame: number;
  peoplePerFrame: number;
}

/** The SCENE backend over `frames` in batches of 4, after a warm-up batch. */
async function benchScene(frames: readonly Buffer[], detector: PersonDetectorKind, threads: number, tiled: boolean): Promise<SceneRun> {
  const backend = await createSceneBackend({ detector, intraOpThreads: threads, preferCuda: false });
  const inputs = frames.map((image, i): FrameInput => ({ frameId: String(i), cameraId: 'vtest', seq: i, image, perception: 'SCENE', tiled }));
  await backend.infer(inputs.slice(0, 4));
  let people = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < inputs.length; i += 4) {
    for (const r of await backend.infer(inputs.slice(i, i + 4))) if (r.ok) people += r.persons.length;
  }
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await backend.close();
  return { fps: (inputs.length * 1000) / wall, cpuMsPerFrame: (used.user + used.system) / 1000 / inputs.length, peoplePerFrame: people / inputs.length };
}

/** `n` frames of vtest.avi (every 5th) as JPEGs, or undefined (with the reason printed) when it or ffmpeg is missing. */
function vtestFrames(n: number): Buffer[] | undefined {
  const video = vtestPath();
  const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p));
  if (!existsSync(video) || !ffmpeg) {
    console.log(`SCENE: skipped (${!ffmpeg ? 'ffmpeg' : video} not found)`);
    return undefined;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-vtest-'));
  try {
    // Every 5th frame: `n` frames spread over the first 5n (the clip fills up after its start).
    execFileSync(ffmpeg, [
      '-loglevel',
      'error',
      '-i',
      video,
      '-vf',
      'select=not(mod(n\\,5))',
      '-vsync',
      'vfr',
      '-frames:v',
      String(n),
      '-q:v',
      '3',
      path.join(dir, 'f%03d.jpg'),
    ]);
    return readdirSync(dir)
      .sort()
      .map((f) => readFileSync(path.join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

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
  const load = os.loadavg()[0] ?? 0;
  const sceneFrames = vtestFrames(arg('scene-frames', 40));
  const scene = new Map<string, SceneRun>();
  if (sceneFrames) {
    console.log(
      `SCENE on ${sceneFrames.length} frames of vtest.avi (every 5th, 768x576), batches of 4, decode included; load average ${fmt(load)} on ${os.availableParallelism()} cores`,
    );
    for (const detector of PERSON_DETECTORS) {
      for (const tiled of [false, true]) {
        for (const th of detector === 'nanodet-m' && !tiled ? [1, 2] : [1]) {
          const r = await benchScene(sceneFrames, detector, th, tiled);
          scene.set(`${detector}:${tiled}:${th}`, r);
          console.log(
            `scene ${detector}+movenet-lightning${tiled ? ' tiled' : ''}, ${th} thread(s): ${fmt(r.fps)} frames/s  ${fmt(r.cpuMsPerFrame)} CPU ms/frame  ${fmt(r.peoplePerFrame)} people/frame`,
          );
        }
      }
    }
  }
  const one = scene.get('nanodet-m:false:1');
  const two = scene.get('nanodet-m:false:2');
  console.log(`MoveNet MultiPose Lightning 256x256, ${frames} frames over ${photos.length} photos, ${tfjs.threads} thread(s) each`);
  console.log(`preprocess (sharp decode+letterbox, 1920px JPEG): p50 ${fmt(pre.p50)} ms  p99 ${fmt(pre.p99)} ms  ${fmt(pre.fps)} frames/s`);
  console.log(`onnxruntime-node (cpu):   p50 ${fmt(o.p50)} ms  p99 ${fmt(o.p99)} ms  ${fmt(o.fps)} frames/s`);
  console.log(`tfjs (${tfjs.backend}):            p50 ${fmt(t.p50)} ms  p99 ${fmt(t.p99)} ms  ${fmt(t.fps)} frames/s`);
  const sceneFields =
    one && two
      ? `scene_fps_1t=${fmt(one.fps)} scene_fps_2t=${fmt(two.fps)} scene_cpu_ms_per_frame=${fmt(one.cpuMsPerFrame)} scene_people_per_frame=${fmt(one.peoplePerFrame)} scene_tiled_people_per_frame=${fmt(scene.get('nanodet-m:true:1')?.peoplePerFrame ?? Number.NaN)}`
      : 'scene_fps_1t=NaN scene_fps_2t=NaN scene_people_per_frame=NaN';
  console.log(
    `ort_p50_ms=${fmt(o.p50)} ort_p99_ms=${fmt(o.p99)} ort_fps=${fmt(o.fps)} tfjs_backend=${tfjs.backend} tfjs_p50_ms=${fmt(t.p50)} tfjs_p99_ms=${fmt(t.p99)} tfjs_fps=${fmt(t.fps)} multipose_speedup=${fmt(speedup)} preprocess_p50_ms=${fmt(pre.p50)} preprocess_p99_ms=${fmt(pre.p99)} threads=${tfjs.threads} frames=${frames} ${sceneFields} detector=nanodet-m pose=movenet-lightning load_avg=${fmt(load)} cores=${os.availableParallelism()}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
