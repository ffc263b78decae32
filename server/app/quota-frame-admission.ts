import { FrameAdmission, type AdmissionDecision, type AdmissionFrame, type CameraAdmissionConfig, type FrameAdmissionOptions } from '@trinetra/ingest';
import type { CameraTier } from '@trinetra/shared';

/** What the live frame path asks billing-safe about a tenant (MonthlyQuotaVerdicts: never waits). */
export interface FrameQuotaVerdicts {
  exhausted(tenantId: string): boolean;
}

/**
 * Frame admission with the plan's monthly frame allowance (docs/QUOTAS.md): a frame of a
 * non-BILLING camera whose tenant has used up `frames_per_month` is refused as `quota_exceeded`.
 * BILLING frames are never dropped for a quota (a BILLING camera is refused at start instead),
 * so they pass whatever the verdict. The camera's tenant is looked up once, when the pipeline
 * configures the camera; its frames are admitted until the answer is in.
 */
export class QuotaFrameAdmission extends FrameAdmission {
  private readonly tenantCameras = new Map<string, { tier: CameraTier; tenantId: string | null }>();

  constructor(
    options: FrameAdmissionOptions,
    private readonly quota: FrameQuotaVerdicts,
    private readonly tenantOf: (cameraId: string) => Promise<string | null>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    super(options);
  }

  override configureCamera(cameraId: string, config: CameraAdmissionConfig): void {
    super.configureCamera(cameraId, config);
    const known = this.tenantCameras.get(cameraId);
    const entry = { tier: config.tier, tenantId: known?.tenantId ?? null };
    this.tenantCameras.set(cameraId, entry);
    if (!entry.tenantId) {
      this.tenantOf(cameraId)
        .then((tenantId) => {
          entry.tenantId = tenantId;
        })
        .catch(this.onError);
    }
  }

  override forgetCamera(cameraId: string): void {
    super.forgetCamera(cameraId);
    this.tenantCameras.delete(cameraId);
  }

  override admitFrame(frame: AdmissionFrame): AdmissionDecision {
    const camera = this.tenantCameras.get(frame.cameraId);
    if (camera && camera.tier !== 'BILLING' && camera.tenantId && this.quota.exhausted(camera.tenantId)) {
      return { admitted: false, reason: 'quota_exceeded' };
    }
    return super.admitFrame(frame);
  }
}
