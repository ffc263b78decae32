import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { HnswVectorIndex } from '../infra/hnsw-vector-index';
import { GalleryMatcher, type WeakMatchEvent } from './gallery-matcher';
import { IdentityMetrics } from './identity-metrics';

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
/** A unit vector at cosine `c` to (1, 0, 0). */
const at = (c: number) => unit(c, Math.sqrt(1 - c * c), 0);

describe('GalleryMatcher (faceres thresholds 0.60 / 0.50, per-camera offset)', () => {
  const tenant = randomUUID();
  const ann = randomUUID();
  const offsets: Record<string, number> = { strict: 0.1 };
  let matcher: GalleryMatcher;
  let metrics: IdentityMetrics;
  const events: WeakMatchEvent[] = [];

  beforeAll(async () => {
    const index = new HnswVectorIndex();
    await index.upsert(tenant, 'faceres', [{ id: randomUUID(), personId: ann, vector: unit(1, 0, 0) }]);
    metrics = new IdentityMetrics();
    metrics.register(new Registry());
    matcher = new GalleryMatcher(index, { thresholdOffsetOf: async (_t, cameraId) => ({ thresholdOffset: offsets[cameraId] ?? 0 }) }, metrics, () => 0);
    matcher.onWeakMatch((e) => events.push(e));
  });

  it('names at or above accept, asks for review in the band (UNKNOWN_IDENTITY event), unknown below', async () => {
    await expect(matcher.match(tenant, { model: 'faceres', embedding: at(0.7), cameraId: 'door' })).resolves.toMatchObject({ kind: 'MATCH', personId: ann });
    await expect(matcher.match(tenant, { model: 'faceres', embedding: at(0.55), cameraId: 'door' })).resolves.toMatchObject({ kind: 'REVIEW', personId: ann });
    await expect(matcher.match(tenant, { model: 'faceres', embedding: at(0.3), cameraId: 'door' })).resolves.toMatchObject({ kind: 'UNKNOWN' });
    expect(events).toEqual([expect.objectContaining({ type: 'UNKNOWN_IDENTITY', tenantId: tenant, cameraId: 'door', candidatePersonId: ann })]);
    expect(matcher.weakMatches(tenant)).toBe(1);
    expect((await metrics.matches.get()).values[0]?.value).toBe(1);
    expect((await metrics.unknowns.get()).values[0]?.value).toBe(2);
  });

  it("a camera's positive offset refuses what another camera names", async () => {
    await expect(matcher.match(tenant, { model: 'faceres', embedding: at(0.65), cameraId: 'door' })).resolves.toMatchObject({ kind: 'MATCH' });
    await expect(matcher.match(tenant, { model: 'faceres', embedding: at(0.65), cameraId: 'strict' })).resolves.toMatchObject({ kind: 'REVIEW' });
  });

  it('another tenant is never matched; an uncalibrated model is refused', async () => {
    await expect(matcher.match(randomUUID(), { model: 'faceres', embedding: unit(1, 0, 0) })).resolves.toMatchObject({ kind: 'UNKNOWN' });
    await expect(matcher.match(tenant, { model: 'arcface', embedding: unit(1, 0, 0) })).rejects.toMatchObject({ apiCode: 'BAD_USER_INPUT' });
    await expect(matcher.match(tenant, { model: 'faceres', embedding: [Number.NaN, 0, 0] })).rejects.toMatchObject({ apiCode: 'BAD_USER_INPUT' });
  });

  it('feeds the camera drift monitor with accepted matches only', () => {
    const [door] = matcher.driftOf(tenant).report();
    expect(door).toMatchObject({ cameraId: 'door', recentSamples: 2 });
  });
});
