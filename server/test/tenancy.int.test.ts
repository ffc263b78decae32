import { randomUUID } from 'node:crypto';
import { forTenant } from '@trinetra/db';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id name } }`;
const GET = `query($id: ID!) { camera(id: $id) { id name } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { id name } }`;
const DELETE = `mutation($id: ID!) { deleteCamera(id: $id) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id status } }`;
const LIST = `{ cameras(first: 50) { edges { node { id } } } }`;
const STATUS = `subscription { cameraStatusChanged { cameraId status } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id } }`;

describe('tenant isolation', () => {
  let t: TestApp;
  let a: string;
  let b: string;
  let bCamera: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = (await signUpTenant(t.url, 'Tenant A')).accessToken;
    b = (await signUpTenant(t.url, 'Tenant B')).accessToken;
    bCamera = (await gql(t.url, CREATE, { input: { name: 'B secret', sourceKind: 'SIMULATOR' } }, b)).data!['createCamera'].id;
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([
    ['read', GET, (id: string) => ({ id })],
    ['update', UPDATE, (id: string) => ({ id, input: { name: 'pwned' } })],
    ['delete', DELETE, (id: string) => ({ id })],
    ['start', START, (id: string) => ({ id })],
  ])("answers NOT_FOUND when A tries to %s B's camera over HTTP, exactly as for a missing id", async (_verb, query, vars) => {
    const foreign = await gql(t.url, query, vars(bCamera), a);
    const missing = await gql(t.url, query, vars(randomUUID()), a);
    expect(foreign.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(missing.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message.replace(bCamera, 'ID')).toBe(missing.errors?.[0]?.message.replace(/[0-9a-f-]{36}/, 'ID'));
    const stillThere = await gql(t.url, GET, { id: bCamera }, b);
    expect(stillThere.data!['camera']).toEqual({ id: bCamera, name: 'B secret' });
  });

  it("never lists B's cameras to A and refuses a zone on B's camera", async () => {
    const list = await gql(t.url, LIST, {}, a);
    expect(list.data!['cameras'].edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(bCamera);
    const zone = await gql(
      t.url,
      UPSERT_ZONE,
      {
        input: {
          cameraId: bCamera,
          name: 'z',
          polygon: [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        },
      },
      a,
    );
    expect(zone.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND over WebSocket too, and never delivers B's status events to A", async () => {
    const clientA = wsClient(t.wsUrl, a);
    try {
      const read = nextResults<{ errors?: { extensions: { code: string } }[] }>(clientA, GET, { id: bCamera }, 1);
      const [result] = await read.promise;
      expect(result?.errors?.[0]?.extensions.code).toBe('NOT_FOUND');

      const events = nextResults<{ data: { cameraStatusChanged: { cameraId: string } } }>(clientA, STATUS, {}, 1);
      await events.ready;
      await gql(t.url, START, { id: bCamera }, b);
      const own = (await gql(t.url, CREATE, { input: { name: 'A cam', sourceKind: 'SIMULATOR' } }, a)).data!['createCamera'].id;
      await gql(t.url, START, { id: own }, a);
      const [first] = await events.promise;
      expect(first?.data.cameraStatusChanged.cameraId).toBe(own);
      events.dispose();
    } finally {
      await clientA.dispose();
    }
  });

  it('row-level security stops a query that forgot its tenant filter', async () => {
    const tenants = await t.app.db.tenant.findMany({ where: { name: { in: ['Tenant A', 'Tenant B'] } } });
    const tenantA = tenants.find((x) => x.name === 'Tenant A')!.id;
    // Raw SQL bypasses the Prisma-level filter: only Postgres RLS stands between A and B here.
    const rows = await t.app.db.$transaction([
      t.app.db.$executeRaw`SELECT set_config('role', 'trinetra_app', true)`,
      t.app.db.$executeRaw`SELECT set_config('app.tenant_id', ${tenantA}, true)`,
      t.app.db.$queryRaw<{ id: string }[]>`SELECT id FROM "Camera"`,
      t.app.db.$executeRaw`UPDATE "Camera" SET name = 'pwned' WHERE id = ${bCamera}::uuid`,
    ]);
    expect((rows[2] as { id: string }[]).map((r) => r.id)).not.toContain(bCamera);
    expect(rows[3]).toBe(0);
    // A scoped client that is handed B's tenant id in its data still writes A's row.
    const scoped = forTenant(t.app.db, tenantA);
    const tenantB = tenants.find((x) => x.name === 'Tenant B')!.id;
    const created = await scoped.camera.create({
      data: { id: randomUUID(), tenantId: tenantB, name: 'smuggled', sourceKind: 'SIMULATOR', updatedAt: new Date() },
    });
    expect(created.tenantId).toBe(tenantA);
    await expect(scoped.tenant.update({ where: { id: tenantB }, data: { name: 'x' } })).rejects.toThrow(/not allowed/);
  });
});

describe('tenant isolation on a two-connection pool', () => {
  it("interleaves two tenants' concurrent requests on the same connections without a row or a setting crossing", async () => {
    // Two connections for everything: each one serves A, B and the owner (auth) in turn, so
    // wall 2's per-connection tenant pinning (prisma/client/tenant-session-pool.ts) switches often.
    const t = await startTestApp({ DB_POOL_SIZE: '2' });
    try {
      const tenants = [];
      for (const name of ['Pool A', 'Pool B']) {
        const token = (await signUpTenant(t.url, name)).accessToken;
        const cameras: string[] = [];
        for (let i = 0; i < 2; i++)
          cameras.push((await gql(t.url, CREATE, { input: { name: `${name} ${i}`, sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id);
        tenants.push({ token, cameras: cameras.sort() });
      }
      const [a, b] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
      const requests: Promise<void>[] = [];
      for (let i = 0; i < 15; i++) {
        for (const [self, other] of [
          [a, b],
          [b, a],
        ] as const) {
          requests.push(
            gql(t.url, LIST, {}, self.token).then((r) =>
              expect(r.data!['cameras'].edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(self.cameras),
            ),
          );
          requests.push(gql(t.url, GET, { id: self.cameras[i % 2] }, self.token).then((r) => expect(r.data!['camera'].id).toBe(self.cameras[i % 2])));
          requests.push(gql(t.url, GET, { id: other.cameras[i % 2] }, self.token).then((r) => expect(r.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND')));
        }
      }
      await Promise.all(requests);
      // The owner client, on a connection that just served the tenants, runs as itself again.
      const [owner] = await t.app.db.$queryRaw<
        { role: string; tenant: string | null }[]
      >`SELECT current_user::text AS role, current_setting('app.tenant_id', true) AS tenant`;
      expect(owner!.role).not.toBe('trinetra_app');
      expect(owner!.tenant || null).toBeNull();
    } finally {
      await t.stop();
    }
  }, 120_000);
});
