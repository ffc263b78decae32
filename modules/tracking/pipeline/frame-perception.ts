import type { CameraRef } from '@trinetra/shared';
import type { ByteTrackerOptions } from '../domain/mot';
import type { PerceptionSettings } from '../domain/supervision';

/**
 * How workers look at a live camera's frames, decided here from the camera alone, never from
 * the bytes a client sends: a SIMULATOR camera's frames are answered from their ground truth
 * (`SIMULATED`); every other camera's with its perception profile. An uploaded JPEG that
 * carries a simulator comment is still looked at by the model of its camera's profile.
 */
export function framePerceptionOf(camera: Pick<CameraRef, 'sourceKind' | 'perception' | 'tiled'> & { identity?: boolean }): PerceptionSettings {
  if (camera.sourceKind === 'SIMULATOR') return { perception: 'SIMULATED', tiled: false };
  // Faces only for cameras whose identity switch is on (consent recorded with the camera).
  return { perception: camera.perception, tiled: camera.perception === 'SCENE' && camera.tiled, ...(camera.identity === true ? { faces: true } : {}) };
}

/**
 * Batch videos (manifest imports, video jobs) are recorded store footage: SCENE, without tiles
 * (tiles cost about four times the detector's work per frame).
 */
export const BATCH_PERCEPTION: PerceptionSettings = { perception: 'SCENE', tiled: false };

/**
 * The tracker's score thresholds follow the detector's score scale. ByteTrack's defaults (0.5 to
 * match first, 0.6 to start a track) suit YOLOX-like scores; the SCENE detector (NanoDet-m)
 * scores people lower: on vtest.avi's first 200 frames its quartiles are 0.48 / 0.63 / 0.70,
 * and with the defaults the tracker reported 4.6 of its 5.9 people a frame (a quarter of them
 * never start a track). At 0.35 / 0.4 it reports 5.4, with no longer empty runs. Traffic cones
 * (0.30-0.35) are already dropped by the worker's pose check. CLOSE_UP and SIMULATED keep the defaults.
 */
export function trackerOptionsFor(perception: PerceptionSettings['perception']): ByteTrackerOptions {
  return perception === 'SCENE' ? { highThreshold: 0.35, newTrackThreshold: 0.4 } : {};
}
