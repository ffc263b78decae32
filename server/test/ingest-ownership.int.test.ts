import WebSocket from 'ws';
import { encodeFrameMessage, renderSimulatorBackground, SimulatorScene } from '@trinetra/ingest';
import { encodeSimulatedFrame } from '@trinetra/shared';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Opens an upload socket, sends one frame, and resolves its ack and the close code (if it closed). */
async function uploadOne(t: TestApp, token: string, cameraId: string, seq: number, jpeg: Buffer): Promise<{ ack: Record<string, unknown>; closed: number | null }> {
  const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${cameraId}&token=${token}`);
  try {
    const messages: Record<string, unknown>[] = [];
    let closed: number | null = null;
    const closedPromise = new Promise<void>((resolve) =>
      socket.once('close', (code) => {
        closed = code;
        resolve();
      }),
    );
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    while (!messages.some((m) => m['type'] === 'ready')) await new Promise((r) => setTimeout(r, 10));
    socket.send(encodeFrameMessage({ cameraId, seq, captureTs: Date.now(), jpeg }));
    while (!messages.some((m) => m['type'] === 'ack')) await new Promise((r) => setTimeout(r, 10));
    const ack = messages.find((m) => m['type'] === 'ack')!;
    // A refused frame is followed by the close; an admitted one leaves the socket open.
    if (ack['admitted'] === false) await closedPromise;
    return { ack, closed };
  } finally {
    socket.close();
  }
}

describe('/ingest with two server replicas (camera leases)', () => {
  let db: TestDatabase;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('refuses frames for a camera another replica owns with 4421, and takes them once that replica let it go', async () => {
    a = await startTestApp({}, db);
    b = await startTestApp({}, db);
    const { accessToken: token } = await signUpTenant(a.url, 'Owners');
    const cameraId = (await gql(a.url, `mutation { createCamera(input: { name: "Phone", sourceKind: UPLOAD, tier: LIVE }) { id } }`, {}, token)).data!['createCamera'].id as string;
    // Started through A: A holds the camera's lease.
    expect((await gql(a.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, token)).errors).toBeUndefined();
    const scene = new SimulatorScene({ width: 320, height: 180, persons: 1, seed: 3, occluders: 0, crossings: false });
    const jpeg = encodeSimulatedFrame(await renderSimulatorBackground(320, 180, []), scene.truth());

    const refused = await uploadOne(b, token, cameraId, 1, jpeg);
    expect(refused.ack).toMatchObject({ seq: 1, admitted: false, reason: 'camera_stopped' });
    expect(refused.closed).toBe(4421);
    const health = await gql(b.url, `{ pipelineHealth { cameras { cameraId } } }`, {}, token);
    expect(health.data!['pipelineHealth'].cameras).toEqual([]);

    // A shuts down: it releases its leases, so B takes the camera on the next frame.
    await a.stop();
    a = undefined;
    const taken = await uploadOne(b, token, cameraId, 2, jpeg);
    expect(taken.ack).toMatchObject({ seq: 2, admitted: true });
    expect(taken.closed).toBeNull();
  });
});
