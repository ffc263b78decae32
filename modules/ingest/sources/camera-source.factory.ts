import type { CameraRef } from '@trinetra/shared';
import type { MediaAccess } from '../application/media-access';
import { assertServerCameraUrlAllowedOrThrow } from '../application/camera.service';
import type { FrameSource } from '../domain/frame-source';
import { FileSource } from './file.source';
import { NetworkCameraSource } from './network-camera.source';
import { SimulatorSource } from './simulator.source';
import { DEFAULT_SIMULATOR_SCENE, parseSimulatorUrl } from './simulator-url';

/** Stable small integer from a camera id, so a simulator camera shows the same scene after a restart. */
function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The frame source of a camera by its kind; UPLOAD cameras have none (frames arrive on the
 * `/ingest` socket). Network cameras re-check the SSRF guard before every (re)connect; file
 * cameras re-resolve their path inside the tenant's media roots at every start.
 */
export function createCameraSource(camera: CameraRef, allowlist: readonly string[], media: MediaAccess): FrameSource | null {
  switch (camera.sourceKind) {
    case 'SIMULATOR':
      return new SimulatorSource({
        cameraId: camera.id,
        fps: camera.targetFps,
        ...DEFAULT_SIMULATOR_SCENE,
        seed: seedOf(camera.id),
        ...parseSimulatorUrl(camera.sourceUrl),
      });
    case 'FILE':
      return new FileSource({
        cameraId: camera.id,
        path: camera.sourceUrl ?? '',
        resolvePath: (path) => media.resolveOrThrow(camera.tenantId, path),
        targetFps: camera.targetFps,
        pacing: 'realtime',
      });
    case 'NETWORK':
      return new NetworkCameraSource({
        cameraId: camera.id,
        url: camera.sourceUrl ?? '',
        targetFps: camera.targetFps,
        beforeConnect: async () => {
          await assertServerCameraUrlAllowedOrThrow(camera.sourceUrl ?? '', allowlist);
        },
      });
    case 'UPLOAD':
      return null;
  }
}
