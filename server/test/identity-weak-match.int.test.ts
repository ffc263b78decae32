/**
 * `identityWeakMatch` over GraphQL (issue 13): the subscription delivers a tenant's review-band
 * tracks with camera, track, similarity and time only, filtered by camera, never to another
 * tenant. Events are put on the same Redis channel the server's PubSubIdentityMatchedPublisher
 * uses (`IDENTITY_WEAK_MATCH:<tenant id>`), as another replica's live identifier would.
 */
import { Redis } from 'ioredis';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';

const WEAK = `subscription($id: ID) { identityWeakMatch(cameraId: $id) { cameraId trackId similarity at } }`;
const CAM = '4b0c1f5e-8a1e-4c55-9d57-3f7a2f0a9c11';
const OTHER_CAM = '9f6a8e3c-2d4b-4e8f-b1a7-5c3d2e1f0a22';

let t: TestApp;
let redis: Redis;

beforeAll(async () => {
  t = await startTestApp();
  redis = new Redis(t.config.REDIS_URL);
}, 60_000);
afterAll(async () => {
  redis?.disconnect();
  await t?.stop();
});

async function tenantOf(token: string): Promise<string> {
  return (await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, token)).data!.me.tenant.id;
}

it('delivers a weak match to its tenant on its camera only, with no person in it; another tenant hears nothing', async () => {
  const a = (await signUpTenant(t.url, 'Weak A')).accessToken;
  const b = (await signUpTenant(t.url, 'Weak B')).accessToken;
  const tenantA = await tenantOf(a);
  const clientA = wsClient(t.wsUrl, a);
  const clientB = wsClient(t.wsUrl, b);
  const mine = nextResults<{ data: { identityWeakMatch: Record<string, unknown> } }>(clientA, WEAK, { id: CAM }, 1);
  const foreign = nextResults<{ data: { identityWeakMatch: Record<string, unknown> } }>(clientB, WEAK, {}, 1);
  try {
    await mine.ready;
    await foreign.ready;
    const at = '2026-11-29T10:00:00.000Z';
    // Another camera of the same tenant first: filtered out by cameraId.
    await redis.publish(`IDENTITY_WEAK_MATCH:${tenantA}`, JSON.stringify({ cameraId: OTHER_CAM, trackId: 2, similarity: 0.5, at }));
    await redis.publish(`IDENTITY_WEAK_MATCH:${tenantA}`, JSON.stringify({ cameraId: CAM, trackId: 7, similarity: 0.55, at }));
    const [event] = await mine.promise;
    expect(event!.data.identityWeakMatch).toEqual({ cameraId: CAM, trackId: 7, similarity: 0.55, at });
    await new Promise((r) => setTimeout(r, 500));
    expect(await foreign.atLeast(0)).toEqual([]);
  } finally {
    mine.dispose();
    foreign.dispose();
    await clientA.dispose();
    await clientB.dispose();
  }
});

it('the type has no person id or name to ask for', async () => {
  const a = (await signUpTenant(t.url, 'Weak C')).accessToken;
  const res = await gql(t.url, `subscription { identityWeakMatch { personId } }`, {}, a);
  expect(res.errors?.map((e) => e.message)).toEqual(['Cannot query field "personId" on type "IdentityWeakMatch".']);
});
