import type { ChildProcess } from 'node:child_process';
import { startServerProcess } from './support/server-process';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';

describe('subscriptions across server processes (Redis pub/sub)', () => {
  let t: TestApp;
  let other: { child: ChildProcess; url: string } | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    other = await startServerProcess({
      DATABASE_URL: t.db.url,
      REDIS_URL: t.config.REDIS_URL,
      JWT_SECRET: t.config.JWT_SECRET,
      SEED_DEMO: 'false',
    });
  }, 40_000);
  afterAll(async () => {
    other?.child.kill('SIGTERM');
    await t.stop();
  });

  it('delivers cameraStatusChanged published by another process to a client of this one', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Mobile');
    const camera = (await gql(other!.url, `mutation { createCamera(input: { name: "Phone", sourceKind: UPLOAD, tier: LIVE }) { id } }`, {}, accessToken)).data!['createCamera'].id;
    const client = wsClient(t.wsUrl, accessToken);
    try {
      const sub = nextResults<{ data: { cameraStatusChanged: { cameraId: string; status: string } } }>(client, `subscription { cameraStatusChanged { cameraId status } }`, {}, 1);
      await sub.ready;
      // The mutation runs in the other process, which publishes through Redis.
      const started = await gql(other!.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: camera }, accessToken);
      expect(started.errors).toBeUndefined();
      const [event] = await sub.promise;
      expect(event?.data.cameraStatusChanged).toEqual({ cameraId: camera, status: 'CONNECTING' });
    } finally {
      await client.dispose();
    }
  });

  it('rejects a key revoked in one process at once in the other, even though the other had it cached', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Revoke');
    const created = await gql(t.url, `mutation { createApiKey(input: { name: "k", scopes: ["cameras:read"] }) { apiKey { id } secret } }`, {}, accessToken);
    const { apiKey, secret } = created.data!['createApiKey'];
    const list = `{ cameras(first: 1) { pageInfo { hasNextPage } } }`;
    expect((await gql(other!.url, list, {}, secret)).errors).toBeUndefined();
    await gql(t.url, `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: apiKey.id }, accessToken);
    let after = await gql(other!.url, list, {}, secret);
    for (let i = 0; i < 20 && !after.errors; i++) {
      await new Promise((r) => setTimeout(r, 25));
      after = await gql(other!.url, list, {}, secret);
    }
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'API_KEY_REVOKED' });
  });
});
