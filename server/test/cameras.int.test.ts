import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';

const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id name tier sourceKind sourceUrl targetFps status desiredStatus purpose } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { id name tier targetFps } }`;
const PAGE = `query($after: String) { cameras(first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`;
const ZONES = `query($id: ID!) { zones(cameraId: $id) { name kind polygon camera { id name } } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id name kind polygon } }`;

describe('cameras and zones', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await signUpTenant(t.url, 'Cams')).accessToken;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('creates with defaults, updates, pages with cursors, and deletes', async () => {
    const created = await gql(t.url, CREATE, { input: { name: 'Door', sourceKind: 'SIMULATOR' } }, token);
    expect(created.data!['createCamera']).toMatchObject({ name: 'Door', tier: 'STANDARD', targetFps: 10, status: 'IDLE', desiredStatus: 'STOPPED', purpose: 'general' });
    const id = created.data!['createCamera'].id;
    const updated = await gql(t.url, UPDATE, { id, input: { tier: 'BILLING', targetFps: 15 } }, token);
    expect(updated.data!['updateCamera']).toMatchObject({ name: 'Door', tier: 'BILLING', targetFps: 15 });

    for (const name of ['B', 'C', 'D']) await gql(t.url, CREATE, { input: { name, sourceKind: 'UPLOAD', tier: 'LIVE' } }, token);
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await gql(t.url, PAGE, { after }, token);
      names.push(...page.data.cameras.edges.map((e: { node: { name: string } }) => e.node.name));
      after = page.data.cameras.pageInfo.hasNextPage ? page.data.cameras.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(names).toEqual(['Door', 'B', 'C', 'D']);
    expect(pages).toBe(2);

    const deleted = await gql(t.url, `mutation($id: ID!) { deleteCamera(id: $id) { id } }`, { id }, token);
    expect(deleted.data!['deleteCamera'].id).toBe(id);
    const gone = await gql(t.url, `query($id: ID!) { camera(id: $id) { id } }`, { id }, token);
    expect(gone.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });

  it.each([
    [{ name: '', sourceKind: 'SIMULATOR' }, 'name'],
    [{ name: 'x', sourceKind: 'FILE' }, 'sourceUrl'],
    [{ name: 'x', sourceKind: 'SIMULATOR', targetFps: 0 }, 'targetFps'],
    [{ name: 'x', sourceKind: 'SIMULATOR', targetFps: 500 }, 'targetFps'],
    [{ name: 'x', sourceKind: 'SIMULATOR', sourceUrl: 'sim://people?colour=red' }, 'sourceUrl'],
    [{ name: 'x', sourceKind: 'SIMULATOR', sourceUrl: 'sim://people?count=99' }, 'sourceUrl'],
  ])('rejects %j with BAD_USER_INPUT on field %s', async (input, field) => {
    const res = await gql(t.url, CREATE, { input }, token);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it.each([
    ['rtsp://127.0.0.1/stream', 'FORBIDDEN'],
    ['http://169.254.169.254/latest/meta-data', 'FORBIDDEN'],
    ['rtsp://10.0.0.5/cam', 'FORBIDDEN'],
    ['ftp://camera.example/x', 'BAD_USER_INPUT'],
  ])('refuses network camera URL %s (SSRF guard) with %s and never echoes credentials', async (url, code) => {
    const res = await gql(t.url, CREATE, { input: { name: 'net', sourceKind: 'NETWORK', sourceUrl: url.replace('//', '//admin:hunter2@') } }, token);
    expect(res.errors?.[0]?.extensions?.['code']).toBe(code);
    expect(JSON.stringify(res)).not.toContain('hunter2');
  });

  it('publishes status changes on start and stop', async () => {
    const id = (await gql(t.url, CREATE, { input: { name: 'Live', sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id;
    const client = wsClient(t.wsUrl, token);
    try {
      const sub = nextResults<{ data: { cameraStatusChanged: { cameraId: string; status: string } } }>(client, `subscription($id: ID) { cameraStatusChanged(cameraId: $id) { cameraId status } }`, { id }, 3);
      await sub.ready;
      await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { desiredStatus } }`, { id }, token);
      // The simulator source goes live (CONNECTING, LIVE); then the camera is stopped.
      await sub.atLeast(2);
      await gql(t.url, `mutation($id: ID!) { stopCamera(id: $id) { desiredStatus } }`, { id }, token);
      const events = await sub.promise;
      expect(events.map((e) => e.data.cameraStatusChanged.status)).toEqual(['CONNECTING', 'LIVE', 'STOPPED']);
    } finally {
      await client.dispose();
    }
  });

  it('upserts zones by name, validates geometry and resolves their camera through a DataLoader', async () => {
    const id = (await gql(t.url, CREATE, { input: { name: 'Zoned', sourceKind: 'SIMULATOR' } }, token)).data!['createCamera'].id;
    const area = { cameraId: id, name: 'checkout', polygon: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]] };
    const first = await gql(t.url, UPSERT_ZONE, { input: area }, token);
    const again = await gql(t.url, UPSERT_ZONE, { input: { ...area, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] } }, token);
    expect(again.data!['upsertZone'].id).toBe(first.data!['upsertZone'].id);
    await gql(t.url, UPSERT_ZONE, { input: { cameraId: id, name: 'door line', kind: 'LINE', polygon: [[0, 0.5], [1, 0.5]] } }, token);
    const zones = await gql(t.url, ZONES, { id }, token);
    expect(zones.data!['zones']).toEqual([
      { name: 'checkout', kind: 'AREA', polygon: [[0, 0], [1, 0], [1, 1], [0, 1]], camera: { id, name: 'Zoned' } },
      { name: 'door line', kind: 'LINE', polygon: [[0, 0.5], [1, 0.5]], camera: { id, name: 'Zoned' } },
    ]);
    const bad = await gql(t.url, UPSERT_ZONE, { input: { cameraId: id, name: 'bad', kind: 'LINE', polygon: [[0, 0], [2, 2]] } }, token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'polygon' });
  });
});
