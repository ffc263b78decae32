/**
 * Perception profiles at the API and on the wire (issue 12): defaults from the source kind,
 * `tiled` only for SCENE, and what the server tells workers per frame: each BullMQ job's frames
 * carry the camera's perception, SIMULATED for simulator cameras whatever their stored profile,
 * and a running camera's update is on the next jobs. No worker serves this app's queue, so its
 * jobs stay in Redis to be read.
 */
import { Redis } from 'ioredis';
import { itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

const FIELDS = 'id sourceKind perception tiled';
const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCameraInput!) { updateCamera(id: $id, input: $input) { ${FIELDS} } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const VTEST = sharedDataPath('video/vtest.avi');

interface JobFrame {
  cameraId: string;
  perception: string;
  tiled: boolean;
}

describe('camera perception profiles', () => {
  let t: TestApp;
  let token: string;
  let redis: Redis;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await signUpTenant(t.url, 'Perception')).accessToken;
    redis = new Redis(t.config.REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.stop();
  });

  const create = async (input: Record<string, unknown>) => gql(t.url, CREATE, { input }, token);
  const update = async (id: string, input: Record<string, unknown>) => gql(t.url, UPDATE, { id, input }, token);

  /** Frames of this app's waiting jobs for `cameraId` (BullMQ keeps a job's data in its hash). */
  async function jobFrames(cameraId: string): Promise<JobFrame[]> {
    const prefix = `${t.config.BULLMQ_PREFIX}:${t.config.FRAME_QUEUE_NAME}`;
    const ids = await redis.lrange(`${prefix}:wait`, 0, -1);
    const frames: JobFrame[] = [];
    for (const id of ids) {
      const data = await redis.hget(`${prefix}:${id}`, 'data');
      if (data) frames.push(...(JSON.parse(data) as { frames: JobFrame[] }).frames.filter((f) => f.cameraId === cameraId));
    }
    return frames;
  }

  async function untilJobFrame(cameraId: string, accept: (f: JobFrame) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if ((await jobFrames(cameraId)).some(accept)) return;
      if (Date.now() > deadline) throw new Error(`no job frame ${what} for ${cameraId}; saw ${JSON.stringify((await jobFrames(cameraId)).slice(-3))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('defaults from the source kind: CLOSE_UP for uploads (phones, webcams), SCENE otherwise, tiles off', async () => {
    const upload = await create({ name: 'Phone', sourceKind: 'UPLOAD' });
    expect(upload.data!['createCamera']).toMatchObject({ perception: 'CLOSE_UP', tiled: false });
    const sim = await create({ name: 'Sim', sourceKind: 'SIMULATOR' });
    expect(sim.data!['createCamera']).toMatchObject({ perception: 'SCENE', tiled: false });
    const chosen = await create({ name: 'Coach', sourceKind: 'UPLOAD', perception: 'SCENE', tiled: true });
    expect(chosen.data!['createCamera']).toMatchObject({ perception: 'SCENE', tiled: true });
  });

  it.each([
    ['tiles on a close-up', { name: 'x', sourceKind: 'SIMULATOR', perception: 'CLOSE_UP', tiled: true }],
    ['tiles on an upload camera left at its CLOSE_UP default', { name: 'x', sourceKind: 'UPLOAD', tiled: true }],
    ['an unknown perception', { name: 'x', sourceKind: 'SIMULATOR', perception: 'SIMULATED' }],
  ])('refuses %s (BAD_USER_INPUT)', async (_what, input) => {
    const res = await create(input);
    expect(res.data?.['createCamera'] ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.['code']).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
  });

  it('names the field for tiles on a close-up, and switches tiles off when perception leaves SCENE', async () => {
    const id = (await create({ name: 'Aisle', sourceKind: 'SIMULATOR', tiled: true })).data!['createCamera'].id;
    const refused = await update(id, { perception: 'CLOSE_UP', tiled: true });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tiled' });
    expect((await update(id, { perception: 'CLOSE_UP' })).data!['updateCamera']).toMatchObject({ perception: 'CLOSE_UP', tiled: false });
    const again = await update(id, { tiled: true });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tiled' });
    expect((await update(id, { perception: 'SCENE', tiled: true })).data!['updateCamera']).toMatchObject({ perception: 'SCENE', tiled: true });
  });

  it('sends simulator frames as SIMULATED, whatever the stored profile', async () => {
    const id = (await create({ name: 'Sim wire', sourceKind: 'SIMULATOR', perception: 'CLOSE_UP', targetFps: 10 })).data!['createCamera'].id;
    await gql(t.url, START, { id }, token);
    try {
      await untilJobFrame(id, () => true, 'at all');
      expect(new Set((await jobFrames(id)).map((f) => `${f.perception}/${f.tiled}`))).toEqual(new Set(['SIMULATED/false']));
    } finally {
      await gql(t.url, STOP, { id }, token);
    }
  }, 60_000);

  itWithInputs([VTEST], 'the FILE camera perception test')(
    'sends a FILE camera frames as SCENE, and a running camera picks up a changed profile on its next frames',
    async () => {
      const created = await create({ name: 'Store', sourceKind: 'FILE', sourceUrl: VTEST, tier: 'BILLING', targetFps: 5 });
      expect(created.data!['createCamera']).toMatchObject({ perception: 'SCENE', tiled: false });
      const id = created.data!['createCamera'].id;
      await gql(t.url, START, { id }, token);
      try {
        await untilJobFrame(id, (f) => f.perception === 'SCENE' && !f.tiled, 'SCENE untiled');
        expect((await update(id, { tiled: true })).errors).toBeUndefined();
        await untilJobFrame(id, (f) => f.perception === 'SCENE' && f.tiled, 'SCENE tiled');
        expect((await update(id, { perception: 'CLOSE_UP' })).errors).toBeUndefined();
        await untilJobFrame(id, (f) => f.perception === 'CLOSE_UP' && !f.tiled, 'CLOSE_UP');
      } finally {
        await gql(t.url, STOP, { id }, token);
      }
    },
    90_000,
  );
});
