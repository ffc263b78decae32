import type { TenantDbFactory } from '@trinetra/db';
import { InvalidInputError, NotFoundError } from '@trinetra/shared';
import { IdentityError, IdentityErrorCode } from '../domain/identity.error';
import { MAX_CAMERA_OFFSET } from '../domain/matching-policy';
import type { IdentityAuditWriter } from './identity-audit';

/** Identity on one camera, as the API shows it. */
export interface CameraIdentityView {
  cameraId: string;
  enabled: boolean;
  consentBy: string | null;
  consentAt: Date | null;
  consentNote: string;
  thresholdOffset: number;
}

/** How long a camera's flag and offset are cached: the live path asks on every face. */
const CACHE_MS = 5_000;

/**
 * The camera flag `identity`: off by default; turning it on records who consented, when and
 * their note (the reason shown in FORBIDDEN when it is off). Also holds the camera's
 * threshold offset. Every change writes an audit row.
 */
export class CameraIdentityService {
  private readonly cache = new Map<string, { at: number; view: CameraIdentityView }>();

  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly audit: IdentityAuditWriter,
    private readonly now: () => number = Date.now,
  ) {}

  async get(tenantId: string, cameraId: string): Promise<CameraIdentityView> {
    const key = `${tenantId}/${cameraId}`;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.view;
    const row = await this.tenantDb(tenantId).cameraIdentity.findFirst({ where: { cameraId } });
    const view: CameraIdentityView = row
      ? { cameraId, enabled: row.enabled, consentBy: row.consentBy, consentAt: row.consentAt, consentNote: row.consentNote, thresholdOffset: row.thresholdOffset }
      : { cameraId, enabled: false, consentBy: null, consentAt: null, consentNote: '', thresholdOffset: 0 };
    this.cache.set(key, { at: this.now(), view });
    return view;
  }

  async isEnabled(tenantId: string, cameraId: string): Promise<boolean> {
    return (await this.get(tenantId, cameraId)).enabled;
  }

  /** Throws FORBIDDEN (reason CONSENT_REQUIRED) with the reason in words when identity is off for the camera. */
  async assertEnabled(tenantId: string, cameraId: string): Promise<void> {
    const view = await this.get(tenantId, cameraId);
    if (!view.enabled) {
      throw new IdentityError(
        IdentityErrorCode.CONSENT_REQUIRED,
        `identity is off for camera ${cameraId}: an admin must turn it on with a recorded consent (setCameraIdentity) before faces there are matched`,
        { cameraId },
      );
    }
  }

  async set(
    tenantId: string,
    actor: string,
    input: { cameraId: string; enabled: boolean; consentNote?: string | undefined; thresholdOffset?: number | undefined },
  ): Promise<CameraIdentityView> {
    const db = this.tenantDb(tenantId);
    // A foreign or missing camera is NOT_FOUND, as everywhere (the tenant-scoped client hides it).
    if (!(await db.camera.findFirst({ where: { id: input.cameraId }, select: { id: true } }))) throw new NotFoundError('Camera', input.cameraId);
    const note = (input.consentNote ?? '').trim();
    if (input.enabled && note.length === 0) throw new InvalidInputError('consentNote is required to turn identity on (who agreed, on what basis)', { field: 'consentNote' });
    if (note.length > 500) throw new InvalidInputError('consentNote must be at most 500 characters', { field: 'consentNote' });
    const offset = input.thresholdOffset ?? 0;
    if (!Number.isFinite(offset) || Math.abs(offset) > MAX_CAMERA_OFFSET)
      throw new InvalidInputError(`thresholdOffset must be within ±${MAX_CAMERA_OFFSET}`, { field: 'thresholdOffset' });
    const consent = input.enabled ? { consentBy: actor, consentAt: new Date(this.now()), consentNote: note } : {};
    const row = await db.cameraIdentity.upsert({
      where: { cameraId: input.cameraId },
      create: { cameraId: input.cameraId, tenantId, enabled: input.enabled, thresholdOffset: offset, ...consent },
      update: { enabled: input.enabled, thresholdOffset: offset, ...consent },
    });
    await this.audit.write(tenantId, {
      action: input.enabled ? 'IDENTITY_ON' : 'IDENTITY_OFF',
      personId: null,
      actor,
      detail: `camera ${input.cameraId}, threshold offset ${offset}${input.enabled ? `, consent: ${note}` : ''}`,
    });
    this.cache.delete(`${tenantId}/${input.cameraId}`);
    return {
      cameraId: row.cameraId,
      enabled: row.enabled,
      consentBy: row.consentBy,
      consentAt: row.consentAt,
      consentNote: row.consentNote,
      thresholdOffset: row.thresholdOffset,
    };
  }
}
