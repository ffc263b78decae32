import type { TenantDbFactory } from '@trinetra/db';
import { type CameraDirectory, InvalidInputError, NotFoundError } from '@trinetra/shared';
import { IdentityError, IdentityErrorCode } from '../domain/identity.error';
import { MAX_CAMERA_OFFSET } from '../domain/matching-policy';
import type { IdentityAuditWriter } from './identity-audit';

/** Identity on one camera, as the API shows it. */
export interface CameraIdentityView {
  cameraId: string;
  enabled: boolean;
  consentBy: string | null;
  consentAt: Date | null;
  thresholdOffset: number;
}

/** How long a camera's offset is cached: the live path asks on every face. */
const CACHE_MS = 5_000;

/**
 * Identity per camera. Whether it is on, and who consented when, is the camera's own flag
 * `Camera.identity` (ingest owns it: `updateCamera(id, { identity })` needs identity:write and
 * records the consent; one source of truth). This service reads it for the consent check
 * (FORBIDDEN with the reason when off) and owns the camera's threshold offset.
 */
export class CameraIdentityService {
  private readonly offsets = new Map<string, { at: number; offset: number }>();

  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly cameras: Pick<CameraDirectory, 'find'>,
    private readonly audit: IdentityAuditWriter,
    private readonly now: () => number = Date.now,
  ) {}

  async get(tenantId: string, cameraId: string): Promise<CameraIdentityView> {
    const camera = await this.tenantDb(tenantId).camera.findFirst({
      where: { id: cameraId },
      select: { identity: true, identityConsentBy: true, identityConsentAt: true },
    });
    if (!camera) throw new NotFoundError('Camera', cameraId);
    return {
      cameraId,
      enabled: camera.identity,
      consentBy: camera.identityConsentBy,
      consentAt: camera.identityConsentAt,
      thresholdOffset: (await this.thresholdOffsetOf(tenantId, cameraId)).thresholdOffset,
    };
  }

  async isEnabled(tenantId: string, cameraId: string): Promise<boolean> {
    return (await this.cameras.find(tenantId, cameraId))?.identity ?? false;
  }

  /** Throws FORBIDDEN (reason CONSENT_REQUIRED) with the reason in words when identity is off for the camera. */
  async assertEnabled(tenantId: string, cameraId: string): Promise<void> {
    const camera = await this.cameras.find(tenantId, cameraId);
    if (!camera) throw new NotFoundError('Camera', cameraId);
    if (!camera.identity) {
      throw new IdentityError(
        IdentityErrorCode.CONSENT_REQUIRED,
        `identity is off for camera ${cameraId}: no consent is recorded for it; an admin with identity:write turns it on (updateCamera identity: true), which records who consented and when`,
        { cameraId },
      );
    }
  }

  /** The camera's threshold offset (0 when none was set); cached briefly for the live path. */
  async thresholdOffsetOf(tenantId: string, cameraId: string): Promise<{ thresholdOffset: number }> {
    const key = `${tenantId}/${cameraId}`;
    const hit = this.offsets.get(key);
    if (hit && this.now() - hit.at < CACHE_MS) return { thresholdOffset: hit.offset };
    const row = await this.tenantDb(tenantId).cameraIdentityPolicy.findFirst({ where: { cameraId } });
    const offset = row?.thresholdOffset ?? 0;
    this.offsets.set(key, { at: this.now(), offset });
    return { thresholdOffset: offset };
  }

  async setThresholdOffset(tenantId: string, actor: string, cameraId: string, offset: number): Promise<CameraIdentityView> {
    if (!Number.isFinite(offset) || Math.abs(offset) > MAX_CAMERA_OFFSET)
      throw new InvalidInputError(`thresholdOffset must be within ±${MAX_CAMERA_OFFSET}`, { field: 'thresholdOffset' });
    const db = this.tenantDb(tenantId);
    // A foreign or missing camera is NOT_FOUND, as everywhere (the tenant-scoped client hides it).
    if (!(await db.camera.findFirst({ where: { id: cameraId }, select: { id: true } }))) throw new NotFoundError('Camera', cameraId);
    await db.cameraIdentityPolicy.upsert({ where: { cameraId }, create: { cameraId, tenantId, thresholdOffset: offset }, update: { thresholdOffset: offset } });
    await this.audit.write(tenantId, { action: 'CAMERA_OFFSET', personId: null, actor, detail: `camera ${cameraId}, threshold offset ${offset}` });
    this.offsets.delete(`${tenantId}/${cameraId}`);
    return this.get(tenantId, cameraId);
  }
}
