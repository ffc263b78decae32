import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { SystemDb } from '@trinetra/db';
import type { Principal } from '@trinetra/shared';
import type { AuthService } from '../auth/auth.service';
import { randomToken } from '../auth/secrets';

export const DEFAULT_PLAN_CODE = 'starter';

/** Every plan dimension billing-safe enforces (docs/QUOTAS.md); migration 20261129181001_plan_dimensions holds the same rows. */
const PLANS = [
  { code: 'freemium', name: 'Freemium', maxCameras: 2, maxConcurrentStreams: 1, monthlyFrameQuota: 1_000_000n, monthlyAnalysisQuota: 50, maxWebhookEndpoints: 2, requestsPerMinute: 300 },
  { code: 'starter', name: 'Starter', maxCameras: 10, maxConcurrentStreams: 4, monthlyFrameQuota: 10_000_000n, monthlyAnalysisQuota: 1_000, maxWebhookEndpoints: 10, requestsPerMinute: 1_200 },
  { code: 'pro', name: 'Pro', maxCameras: 200, maxConcurrentStreams: 50, monthlyFrameQuota: 500_000_000n, monthlyAnalysisQuota: 50_000, maxWebhookEndpoints: 50, requestsPerMinute: 12_000 },
  {
    code: 'enterprise',
    name: 'Enterprise',
    maxCameras: 5_000,
    maxConcurrentStreams: 1_000,
    monthlyFrameQuota: 50_000_000_000n,
    monthlyAnalysisQuota: 5_000_000,
    maxWebhookEndpoints: 500,
    requestsPerMinute: 120_000,
  },
] as const;

/** Plans every deployment needs; idempotent. */
export async function seedPlans(db: SystemDb): Promise<void> {
  for (const plan of PLANS) {
    await db.plan.upsert({ where: { code: plan.code }, create: { id: randomUUID(), ...plan }, update: {} });
  }
}

export interface DemoCredentials {
  tenantId: string;
  email: string;
  password: string;
  apiKey: string;
}

export const DEMO_EMAIL = 'admin@demo.trinetra.local';

/**
 * The demo tenant a newcomer signs in with: an admin, a simulator camera and a fresh API key
 * (keys are stored hashed, so each start revokes the previous demo key and issues a new one).
 * The admin's password is set on every start, to `password` or, without one, to a random one,
 * so the credentials handed back (and written to the demo credentials file) are always true.
 * Only called when SEED_DEMO is on (default: development only).
 */
export async function seedDemoTenant(db: SystemDb, auth: AuthService, configuredPassword?: string): Promise<DemoCredentials> {
  const password = configuredPassword ?? randomToken(15);
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  let user = await db.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (user) {
    user = await db.user.update({ where: { id: user.id }, data: { passwordHash } });
  } else {
    const plan = await db.plan.findUniqueOrThrow({ where: { code: 'pro' } });
    const tenant = await db.tenant.create({ data: { id: randomUUID(), name: 'Demo Store', planId: plan.id } });
    user = await db.user.create({
      data: { id: randomUUID(), tenantId: tenant.id, email: DEMO_EMAIL, passwordHash, role: 'OWNER' },
    });
    await db.camera.create({
      data: { id: randomUUID(), tenantId: tenant.id, name: 'Entrance (simulated)', purpose: 'entrance', tier: 'CRITICAL', sourceKind: 'SIMULATOR', targetFps: 10, updatedAt: new Date() },
    });
  }
  await db.apiKey.updateMany({ where: { tenantId: user.tenantId, name: 'demo', revokedAt: null }, data: { revokedAt: new Date() } });
  const admin: Principal = { kind: 'user', id: user.id, tenantId: user.tenantId, scopes: new Set(['admin']) };
  const { secret } = await auth.createApiKey(admin, 'demo', ['cameras:read', 'cameras:write', 'ingest', 'analytics:read']);
  return { tenantId: user.tenantId, email: DEMO_EMAIL, password, apiKey: secret };
}
