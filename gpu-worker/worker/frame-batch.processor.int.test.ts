import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { InferenceBackend } from '../inference/inference-backend';
import { frameReportSchema, REPORTS_FIELD, type FrameBatchJob } from './frame-batch.contract';
import { FrameBatchProcessor } from './frame-batch.processor';

/** A backend whose session is broken: every micro-batch throws. */
const brokenBackend: InferenceBackend = {
  name: 'onnx:broken',
  infer: async () => {
    throw new Error('CUDA out of memory');
  },
  close: async () => undefined,
};

describe('FrameBatchProcessor when inference fails for a whole batch (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.TEST_REDIS_URL as string);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('answers every frame as batch_failed with the cause instead of failing the job silently', async () => {
    const prefix = `test:fbp:${randomUUID()}`;
    const job: FrameBatchJob = {
      batchId: 'b1',
      resultsKey: `${prefix}:results`,
      enqueuedAt: Date.now(),
      frames: [1, 2].map((seq) => ({ frameId: `f${seq}`, cameraId: 'cam', seq, deadline: null, bytesKey: `${prefix}:frame:f${seq}`, perception: 'CLOSE_UP' as const, tiled: false, faces: false })),
    };
    for (const f of job.frames) await redis.set(f.bytesKey, Buffer.from('jpeg bytes'));
    await expect(new FrameBatchProcessor(redis, brokenBackend).process(job)).resolves.toBe(2);

    const entries = (await redis.xrange(job.resultsKey, '-', '+')) as Array<[string, string[]]>;
    const fields = entries[0]![1];
    const reports = (JSON.parse(fields[fields.indexOf(REPORTS_FIELD) + 1]!) as unknown[]).map((r) => frameReportSchema.parse(r));
    expect(reports).toEqual([
      { frameId: 'f1', cameraId: 'cam', seq: 1, status: 'batch_failed', message: 'inference failed: CUDA out of memory' },
      { frameId: 'f2', cameraId: 'cam', seq: 2, status: 'batch_failed', message: 'inference failed: CUDA out of memory' },
    ]);
    expect(await redis.exists(...job.frames.map((f) => f.bytesKey))).toBe(0);
    await redis.del(job.resultsKey);
  });
});
