import type { CameraStatus } from '@trinetra/db';
import { cameraStatusMessage, type CameraStatusReason, NotFoundError } from '@trinetra/shared';
import type { CameraRepository, CameraRow } from '../infra/camera.repository';
import type { CameraStatusPublisher } from './camera-status-events';

/**
 * Records a camera's actual status and tells subscribers. Its own service (not a method of
 * CameraService) because both the camera service and the frame pipeline write statuses, and the
 * camera service also starts and stops the pipeline: one shared recorder keeps that a
 * one-way dependency.
 *
 * The reason is kept on the camera (`statusReason`, `statusMessage`) until the next status
 * without one (a start, `LIVE`, a stop) clears it. A source that failed or ended also sets the
 * desired state to STOPPED: it will not run again until someone starts it, so the camera reads
 * "failed: <why>" instead of "failed -> running", and a restarted server does not retry it forever.
 */
export class CameraStatusRecorder {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly publisher: CameraStatusPublisher,
  ) {}

  /**
   * @param detail what the source said, in words (no credentials)
   * @param reason the closed-set reason; null clears the camera's reason
   */
  async record(tenantId: string, cameraId: string, status: CameraStatus, detail: string | null, reason: CameraStatusReason | null = null): Promise<CameraRow> {
    const at = new Date();
    const message = reason ? cameraStatusMessage(reason, detail) : status === 'FAILED' ? detail : null;
    const stopRunning = status === 'FAILED' || reason === 'ENDED';
    const camera = await this.cameras.setStatus(tenantId, cameraId, status, at, { reason, message, stopRunning });
    if (!camera) throw new NotFoundError('Camera', cameraId);
    await this.publisher.publish({ tenantId, cameraId, status, reason: message ?? detail, statusReason: reason, at });
    return camera;
  }
}
