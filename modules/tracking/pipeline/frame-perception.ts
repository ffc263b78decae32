import type { CameraRef } from '@trinetra/shared';
import type { PerceptionSettings } from '../domain/supervision';

/**
 * How workers look at a live camera's frames, decided here from the camera alone, never from
 * the bytes a client sends: a SIMULATOR camera's frames are answered from their ground truth
 * (`SIMULATED`); every other camera's with its perception profile. An uploaded JPEG that
 * carries a simulator comment is still looked at by the model of its camera's profile.
 */
export function framePerceptionOf(camera: Pick<CameraRef, 'sourceKind' | 'perception' | 'tiled'>): PerceptionSettings {
  if (camera.sourceKind === 'SIMULATOR') return { perception: 'SIMULATED', tiled: false };
  return { perception: camera.perception, tiled: camera.perception === 'SCENE' && camera.tiled };
}

/**
 * Batch videos (manifest imports, video jobs) are recorded store footage: SCENE, without tiles
 * (tiles cost about four times the detector's work per frame).
 */
export const BATCH_PERCEPTION: PerceptionSettings = { perception: 'SCENE', tiled: false };
