import { z } from 'zod';
import { workerCpuPlan } from '../inference/cpu-plan';
import { PERSON_DETECTORS, type PersonDetectorKind } from '../inference/person-detector.adapter';

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
  /**
   * `auto` (default): each frame goes where its `perception` (set by the server) says:
   * `SIMULATED` to the ground truth, `SCENE` to detector + pose, `CLOSE_UP` to MultiPose; the
   * ONNX models load on the first frame that needs them. `simulated`: ground truth for every
   * frame (tests and load generation; a frame without truth is `decode_failed`). `onnx`: both
   * real pipelines loaded at start-up; `SIMULATED` frames run MultiPose (a plain background).
   */
  INFERENCE_BACKEND: z.enum(['auto', 'simulated', 'onnx']).default('auto'),
  /** Simulated backend: milliseconds of pretend compute per batch, plus per frame. */
  SIMULATED_BATCH_MS: z.coerce.number().min(0).default(2),
  SIMULATED_FRAME_MS: z.coerce.number().min(0).default(0.5),
  /** Simulated backend: uniform random extra ms per batch (tests of out-of-order results). */
  SIMULATED_JITTER_MS: z.coerce.number().min(0).default(0),
  /**
   * Job lock in ms. A worker that dies holds its batch this long before BullMQ's stalled check
   * hands it to another; short suits frames that live for hundreds of ms.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(200).default(2000),
  /** ONNX backend (see gpu-worker/inference/create-inference-backend.ts): pose model adapter. */
  ONNX_MODEL_KIND: z.enum(['movenet-multipose', 'yolov8-pose']).default('movenet-multipose'),
  /** An operator's own ONNX pose model; default: the prepared MoveNet MultiPose. */
  ONNX_MODEL_PATH: z.string().min(1).optional(),
  /**
   * Embed faces (FaceRes) on frames the server sends with `faces: true` (cameras with identity
   * on); `false` answers those frames without vectors. The model loads on the first such frame.
   */
  ONNX_EMBEDDINGS: z.enum(['true', 'false']).default('true'),
  /** onnxruntime intra-op threads per session; default from the machine's cores (`workerCpuPlan`). */
  ONNX_INTRA_OP_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /** SCENE person detector: `nanodet-m` (default) or `centernet`. */
  SCENE_DETECTOR: z.enum(PERSON_DETECTORS).default('nanodet-m'),
  /** SCENE detector score threshold. */
  SCENE_MIN_PERSON_SCORE: z.coerce.number().min(0).max(1).default(0.3),
  /** Try the CUDA execution provider first. */
  ONNX_PREFER_CUDA: z.enum(['true', 'false']).default('true'),
  /** How often this worker checks for stalled jobs, ms. */
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
});

/** Typed worker configuration. */
export interface WorkerConfig {
  redisUrl: string;
  queueName: string;
  prefix: string;
  concurrency: number;
  backend: 'auto' | 'simulated' | 'onnx';
  simulated: { batchMs: number; frameMs: number; jitterMs: number };
  lockDurationMs: number;
  stalledIntervalMs: number;
  onnx: { kind: 'movenet-multipose' | 'yolov8-pose'; modelPath?: string; embedding?: false; intraOpThreads: number; preferCuda: boolean };
  scene: { detector: PersonDetectorKind; minPersonScore: number; intraOpThreads: number; preferCuda: boolean };
  /** The face stage (gpu-worker/inference/face-embedding.backend.ts): on, and its onnxruntime threads. */
  faces: { enabled: boolean; intraOpThreads: number };
}

/** Parses the environment; throws a readable error listing every bad variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid worker configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const threads = e.ONNX_INTRA_OP_THREADS ?? workerCpuPlan().intraOpThreads;
  return {
    redisUrl: e.REDIS_URL,
    queueName: e.FRAME_QUEUE_NAME,
    prefix: e.BULLMQ_PREFIX,
    concurrency: e.WORKER_CONCURRENCY,
    backend: e.INFERENCE_BACKEND,
    simulated: { batchMs: e.SIMULATED_BATCH_MS, frameMs: e.SIMULATED_FRAME_MS, jitterMs: e.SIMULATED_JITTER_MS },
    lockDurationMs: e.WORKER_LOCK_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    onnx: {
      kind: e.ONNX_MODEL_KIND,
      ...(e.ONNX_MODEL_PATH ? { modelPath: e.ONNX_MODEL_PATH } : {}),
      // Faces are the face stage's (FaceRes, eye-aligned), never MultiPose's old MobileFaceNet path.
      embedding: false as const,
      intraOpThreads: threads,
      preferCuda: e.ONNX_PREFER_CUDA === 'true',
    },
    scene: { detector: e.SCENE_DETECTOR, minPersonScore: e.SCENE_MIN_PERSON_SCORE, intraOpThreads: threads, preferCuda: e.ONNX_PREFER_CUDA === 'true' },
    faces: { enabled: e.ONNX_EMBEDDINGS === 'true', intraOpThreads: threads },
  };
}
