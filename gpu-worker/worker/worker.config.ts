import { z } from 'zod';

/**
 * The worker process's configuration: the one place that reads `process.env` in the
 * gpu-worker pool. Read and validated once at start-up.
 */
const schema = z.object({
  /** Redis the control plane uses. */
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** BullMQ queue carrying frame batches; must match the control plane's. */
  FRAME_QUEUE_NAME: z.string().min(1).default('frame-batches'),
  /** BullMQ key prefix. */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** Batches one process runs at once; >1 overlaps Redis I/O with inference. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  /** `simulated` reads ground truth from simulator frames; `onnx` runs real models. */
  INFERENCE_BACKEND: z.enum(['simulated', 'onnx']).default('simulated'),
  /** Simulated backend: milliseconds of pretend compute per batch, plus per frame. */
  SIMULATED_BATCH_MS: z.coerce.number().min(0).default(2),
  SIMULATED_FRAME_MS: z.coerce.number().min(0).default(0.5),
  /**
   * Job lock in ms. A worker that dies holds its batch this long before BullMQ's stalled check
   * hands it to another; short suits frames that live for hundreds of ms.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(200).default(2000),
  /** How often this worker checks for stalled jobs, ms. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
});

/** Typed worker configuration. */
export interface WorkerConfig {
  redisUrl: string;
  queueName: string;
  prefix: string;
  concurrency: number;
  backend: 'simulated' | 'onnx';
  simulated: { batchMs: number; frameMs: number };
  lockDurationMs: number;
  stalledIntervalMs: number;
}

/** Parses the environment; throws a readable error listing every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid worker configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    queueName: e.FRAME_QUEUE_NAME,
    prefix: e.BULLMQ_PREFIX,
    concurrency: e.WORKER_CONCURRENCY,
    backend: e.INFERENCE_BACKEND,
    simulated: { batchMs: e.SIMULATED_BATCH_MS, frameMs: e.SIMULATED_FRAME_MS },
    lockDurationMs: e.WORKER_LOCK_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
  };
}
