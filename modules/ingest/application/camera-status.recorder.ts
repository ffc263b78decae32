import type { CameraStatus } from '@trinetra/db';
import { NotFoundError } from '@trinetra/shared';
import type { CameraRepository, CameraRow } from '../infra/camera.repository';
import type { CameraStatusPublisher } from './camera-status-events';

/**
 * Records a camera's actual status and tells subscribers. Its own service (not a method of
 * CameraService) because both the camera service and the frame pipeline write statuses, and the
 * camera service also starts and stops the pipeline: one shared recorder keeps that a
 * one-way dependency.
 */
export class CameraStatusRecorder {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly publisher: CameraStatusPublisher,
  ) {}

  async record(tenantId: string, cameraId: string, status: CameraStatus, reason: string | null): Promise<CameraRow> {
    const at = new Date();
    const camera = await this.cameras.setStatus(tenantId, cameraId, status, at);
    if (!camera) throw new NotFoundError('Camera', cameraId);
    await this.publisher.publish({ tenantId, cameraId, status, reason, at });
    return camera;
  }
}
