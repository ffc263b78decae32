import path from 'node:path';
import { z } from 'zod';
import { ensurePreparedModels } from '../models/prepared-model.store';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { OnnxSceneBackend } from './onnx-scene.backend';
import { type OnnxSessionOptions, loadOnnxSession } from './onnx-session.factory';
import { PERSON_DETECTORS, centerNetAdapter, nanoDetAdapter } from './person-detector.adapter';

/**
 * SCENE backend configuration (validated; the worker passes its slice of its config).
 *
 * - `detector`: `nanodet-m` (default; see gpu-worker/README.md for the measured choice) or `centernet`.
 * - `minPersonScore`: detector score threshold (default 0.3).
 * - `iouThreshold`: NMS across the whole frame and its tiles (default 0.5).
 * - `cropScale`: pose crop side / person box's longer side (default 1.25).
 * - `minPoseScore`: drop detections whose pose's mean keypoint score is lower (default 0.2).
 * - `intraOpThreads` / `preferCuda` / `modelCacheDir`: as for the CLOSE_UP backend.
 */
export const sceneBackendConfigSchema = z.object({
  detector: z.enum(PERSON_DETECTORS).default('nanodet-m'),
  minPersonScore: z.number().min(0).max(1).default(0.3),
  iouThreshold: z.number().min(0).max(1).default(0.5),
  cropScale: z.number().min(1).max(3).default(1.25),
  minPoseScore: z.number().min(0).max(1).default(0.2),
  intraOpThreads: z.number().int().positive().default(1),
  preferCuda: z.boolean().default(true),
  modelCacheDir: z.string().min(1).optional(),
});
export type SceneBackendConfigInput = z.input<typeof sceneBackendConfigSchema>;

/**
 * Builds the SCENE backend: prepares the detector and MoveNet Lightning when needed and stale,
 * loads both sessions once. Throws `InferenceError` / `ModelPreparationError` naming the file
 * (a model that fails its checksum is converted again; one that cannot be is named).
 */
export async function createSceneBackend(
  input: SceneBackendConfigInput = {},
  hooks: Pick<OnnxSessionOptions, 'warn' | 'onCpuFallback'> = {},
): Promise<OnnxSceneBackend> {
  const parsed = sceneBackendConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InferenceError(InferenceErrorCode.CONFIG_INVALID, `invalid scene config at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`, {
      path: issue?.path ?? [],
    });
  }
  const config = parsed.data;
  const prepared = await ensurePreparedModels({
    models: [config.detector, 'movenet-lightning'],
    onModified: 'fail',
    ...(config.modelCacheDir ? { cacheDir: config.modelCacheDir } : {}),
  });
  const file = (name: string): string => path.resolve(prepared.find((p) => p.name === name)?.onnxPath as string);
  const session: OnnxSessionOptions = { intraOpThreads: config.intraOpThreads, interOpThreads: 1, preferCuda: config.preferCuda, ...hooks };
  const detectorLoaded = await loadOnnxSession(file(config.detector), session);
  const poseLoaded = await loadOnnxSession(file('movenet-lightning'), session);
  const thresholds = { minScore: config.minPersonScore };
  const adapter = config.detector === 'centernet' ? centerNetAdapter(detectorLoaded, thresholds) : nanoDetAdapter(detectorLoaded, thresholds);
  return new OnnxSceneBackend(
    { loaded: detectorLoaded, adapter },
    { loaded: poseLoaded, name: 'movenet-lightning' },
    { iouThreshold: config.iouThreshold, cropScale: config.cropScale, minPoseScore: config.minPoseScore },
  );
}
