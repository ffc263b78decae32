/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeSimulatedFrame, type SimulatedTruth } from '@trinetra/shared';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import type { InferenceBackend } from '../inference/inference-backend';
import { REPORTS_FIELD, frameReportSchema, type FrameBatchJob } from './frame-batch.contract';
import { FrameBatchProcessor } from './frame-batch.processor';
import { selectWorkerBackend } from './worker-backend.factory';
import { loadWorkerConfig } from './worker.config';

const sampleDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const photo = readFileSync(path.join(sampleDir, 'sample1.jpg'));

/** Two synthetic people on a plain background, as the simulator draws them. */
const truth: SimulatedTruth = {
  width: 640,
  height: 480,
  persons: [0, 1].map((id) => ({
    id,
    visibility: 1,
    box: { x: 100 + 300 * id, y: 80, width: 120, height: 300 },
    keypoints: Array.from({ length: 17 }, (_, k) => ({ x: 160 + 300 * id, y: 90 + k * 16, score: 1 })),
  })),
};

let backend: InferenceBackend;
let redis: Redis;
let simulatedFrame: Buffer;
const warnings: string[] = [];
const keyPrefix = `test:auto-backend:${randomUUID()}`;

beforeAll(async () => {
  const background = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 110, b: 120 } } })
    .jpeg()
    .toBuffer();
  simulatedFrame = encodeSimulatedFrame(background, truth);
  // The worker's own path: default INFERENCE_BACKEND, ONNX factory imported lazily on the first real frame.
  backend = await selectWorkerBackend(
    loadWorkerConfig({ ONNX_PREFER_CUDA: 'false', ONNX_EMBEDDINGS: 'false', SIMULATED_BATCH_MS: '0', SIMULATED_FRAME_MS: '0' }),
    (m) => warnings.push(m),
  );
  redis = new Redis(process.env.TEST_REDIS_URL as string, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  await backend?.close();
  if (redis) {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

describe('auto backend on real onnxruntime', () => {
  it('runs a real photo through ONNX and a simulator frame through ground truth in one batch, in order', async () => {
    expect(backend.name).toBe('auto');
    const results = await backend.infer([
      { frameId: 'sim-1', cameraId: 'sim-cam', seq: 0, image: simulatedFrame, perception: 'SIMULATED' },
      { frameId: 'photo-1', cameraId: 'real-cam', seq: 0, image: photo, perception: 'CLOSE_UP' },
      { frameId: 'sim-2', cameraId: 'sim-cam', seq: 1, image: simulatedFrame, perception: 'SIMULATED' },
    ]);
    expect(results.map((r) => [r.frameId, r.ok, r.ok ? r.backend : r.message])).toEqual([
      ['sim-1', true, 'simulated'],
      ['photo-1', true, 'onnx:movenet-multipose'],
      ['sim-2', true, 'simulated'],
    ]);
    const [sim, real] = results;
    if (!sim?.ok || !real?.ok) throw new Error('expected ok results');
    expect(sim.persons.map((p) => p.box)).toEqual(truth.persons.map((p) => p.box));
    expect([real.width, real.height]).toEqual([1920, 1280]);
    expect(real.persons.length).toBeGreaterThan(0);
    for (const p of real.persons) expect(p.keypoints).toHaveLength(17);
    expect(warnings).toEqual([]);
  }, 60_000);

  it.each([
    ['SCENE' as const, 'nanodet-m+movenet-lightning'],
    ['CLOSE_UP' as const, 'movenet-multipose'],
  ])(
    'a JPEG carrying simulator ground truth sent as %s runs the real model, never the truth in its bytes',
    async (perception, model) => {
      const [forged, simulated] = await backend.infer([
        { frameId: 'forged', cameraId: 'upload-cam', seq: 0, image: simulatedFrame, perception },
        { frameId: 'sim', cameraId: 'sim-cam', seq: 0, image: simulatedFrame, perception: 'SIMULATED' },
      ]);
      if (!forged?.ok || !simulated?.ok) throw new Error('expected ok results');
      expect(forged.provenance).toEqual({ backend: 'onnx', model });
      // The real model sees the plain background the truth was spliced into: nobody.
      expect(forged.persons).toEqual([]);
      expect(simulated.provenance).toEqual({ backend: 'simulated', model: 'ground-truth' });
      expect(simulated.persons.map((p) => p.box)).toEqual(truth.persons.map((p) => p.box));
    },
    120_000,
  );

  it('reports each frame with the backend that produced it through the worker protocol', async () => {
    const frames = [
      { frameId: `photo-${randomUUID()}`, cameraId: 'real-cam', seq: 1, image: photo, perception: 'CLOSE_UP' as const },
      { frameId: `sim-${randomUUID()}`, cameraId: 'sim-cam', seq: 2, image: simulatedFrame, perception: 'SIMULATED' as const },
    ];
    const job: FrameBatchJob = {
      batchId: randomUUID(),
      resultsKey: `${keyPrefix}:results`,
      enqueuedAt: Date.now(),
      frames: frames.map((f) => ({
        frameId: f.frameId,
        cameraId: f.cameraId,
        seq: f.seq,
        deadline: null,
        bytesKey: `${keyPrefix}:frame:${f.frameId}`,
        perception: f.perception,
        tiled: false,
        faces: false,
      })),
    };
    for (const f of frames) await redis.set(`${keyPrefix}:frame:${f.frameId}`, f.image, 'PX', 60_000);

    await new FrameBatchProcessor(redis, backend).process(job);

    const entries = await redis.xrange(job.resultsKey, '-', '+');
    const fields = entries.at(-1)?.[1] ?? [];
    const reports = frameReportSchema.array().parse(JSON.parse(fields[fields.indexOf(REPORTS_FIELD) + 1] as string));
    expect(
      reports.map((r) => [r.frameId, r.status, r.status === 'ok' ? r.detections.backend : null, r.status === 'ok' ? r.detections.provenance : null]),
    ).toEqual([
      [frames[0]?.frameId, 'ok', 'onnx:movenet-multipose', { backend: 'onnx', model: 'movenet-multipose' }],
      [frames[1]?.frameId, 'ok', 'simulated', { backend: 'simulated', model: 'ground-truth' }],
    ]);
    expect(reports.every((r) => r.status === 'ok' && r.detections.persons.length > 0)).toBe(true);
  }, 60_000);
});
