import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createTenantDbFactory } from '@trinetra/db';
import { ManualClock, systemClock } from '@trinetra/shared';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { FrameAdmission } from '../admission/frame-admission';
import { CameraRepository } from '../infra/camera.repository';
import { AdmissionFrameSink } from './admission-frame.sink';
import { IngestCloseCode } from './ingest-close-code';
import { encodeFrameMessage, type IngestServerMessage } from './ingest-frame.codec';
import { createIngestUpgradeHandler, INGEST_PATH, type IngestUpgradeHandler } from './ws-upload.adapter';

const CREATE_CAMERA = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);

/** The upload socket on a real HTTP server of its own, over the test app's real auth and database. */
let t: TestApp;
let server: Server;
let handler: IngestUpgradeHandler;
let base: string;
let tenant: { accessToken: string };
let uploadCamera: string;
let liveCamera: string;
let fileCamera: string;
let foreignCamera: string;

async function createCamera(token: string, input: Record<string, unknown>): Promise<string> {
  const res = await gql<{ createCamera: { id: string } }>(t.url, CREATE_CAMERA, { input }, token);
  if (!res.data?.createCamera) throw new Error(JSON.stringify(res.errors));
  return res.data.createCamera.id;
}

async function createKey(scopes: string[]): Promise<string> {
  const res = await gql<{ createApiKey: { secret: string } }>(t.url, CREATE_KEY, { input: { name: `k${scopes.join()}`, scopes } }, tenant.accessToken);
  if (!res.data?.createApiKey) throw new Error(JSON.stringify(res.errors));
  return res.data.createApiKey.secret;
}

interface Connection {
  ws: WebSocket;
  messages: IngestServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `count` messages of `type` have arrived. */
  waitFor(type: IngestServerMessage['type'], count?: number): Promise<IngestServerMessage[]>;
}

function connect(query: Record<string, string>, options: WebSocket.ClientOptions & { protocols?: string[]; origin?: string } = {}): Connection {
  const url = new URL(`${options.origin ?? base}${INGEST_PATH}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const ws = new WebSocket(url, options.protocols ?? [], options);
  const messages: IngestServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(data.toString()) as IngestServerMessage);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('error', () => undefined);
  return {
    ws,
    messages,
    closed,
    waitFor: (type, count = 1) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.filter((m) => m.type === type);
          if (found.length >= count) resolve(found);
        };
        waiters.push(check);
        check();
        void closed.then(() => setTimeout(() => reject(new Error(`closed before ${count} ${type}: ${JSON.stringify(messages)}`)), 50));
      }),
  };
}

const frame = (cameraId: string, seq: number, jpeg: Buffer = JPEG): Buffer => encodeFrameMessage({ cameraId, seq, captureTs: Date.now(), jpeg });

beforeAll(async () => {
  t = await startTestApp();
  tenant = await signUpTenant(t.url, 'Uploader');
  const other = await signUpTenant(t.url, 'Other');
  uploadCamera = await createCamera(tenant.accessToken, { name: 'phone', sourceKind: 'UPLOAD', tier: 'STANDARD', targetFps: 60 });
  liveCamera = await createCamera(tenant.accessToken, { name: 'webcam', sourceKind: 'SIMULATOR', tier: 'LIVE' });
  fileCamera = await createCamera(tenant.accessToken, { name: 'archive', sourceKind: 'SIMULATOR', tier: 'STANDARD' });
  foreignCamera = await createCamera(other.accessToken, { name: 'theirs', sourceKind: 'UPLOAD', tier: 'LIVE' });
  const cameras = new CameraRepository(createTenantDbFactory(t.app.db));
  handler = createIngestUpgradeHandler({
    auth: { authenticate: (a) => t.app.auth.authenticate(a), findCamera: (tenantId, id) => cameras.findById(tenantId, id) },
    sink: new AdmissionFrameSink({ admission: new FrameAdmission({ clock: new ManualClock(0) }) }),
    clock: systemClock,
    session: { ratePerS: 20, burst: 5, maxMalformed: 2, maxFrameBytes: 64 * 1024, abuseWindowMs: 150, maxAbuseWindows: 2 },
  });
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => handler(req, socket, head));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await handler?.close();
  await new Promise((r) => server?.close(r));
  await t?.stop();
});

describe('/ingest upload socket', () => {
  it('is served by the application server itself, for a started camera', async () => {
    const origin = new URL(t.wsUrl).origin;
    const phone = await createCamera(tenant.accessToken, { name: 'started phone', sourceKind: 'UPLOAD', tier: 'LIVE' });
    await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: phone }, tenant.accessToken);
    const c = connect({ cameraId: phone, token: tenant.accessToken }, { origin });
    await c.waitFor('ready');
    c.ws.send(frame(phone, 1));
    expect((await c.waitFor('ack'))[0]).toMatchObject({ type: 'ack', seq: 1, admitted: true });
    c.ws.close();
    // A camera that was never started refuses frames, so stopping a camera stops its phones.
    const stopped = connect({ cameraId: liveCamera, token: tenant.accessToken }, { origin });
    await stopped.waitFor('ready');
    stopped.ws.send(frame(liveCamera, 1));
    expect((await stopped.waitFor('ack'))[0]).toMatchObject({ type: 'ack', seq: 1, admitted: false, reason: 'camera_stopped' });
    stopped.ws.close();
    expect((await connect({ cameraId: foreignCamera, token: tenant.accessToken }, { origin }).closed).code).toBe(IngestCloseCode.NotFound);
  });

  it('authorizes by access token in the query, acks with receive time and admission outcome', async () => {
    const c = connect({ cameraId: uploadCamera, token: tenant.accessToken });
    const [ready] = await c.waitFor('ready');
    expect(ready).toMatchObject({ type: 'ready', cameraId: uploadCamera, ratePerS: 20, burst: 5, maxFrameBytes: 64 * 1024 });
    const before = Date.now();
    c.ws.send(frame(uploadCamera, 1));
    c.ws.send(frame(uploadCamera, 1));
    const acks = await c.waitFor('ack', 2);
    expect(acks[0]).toEqual({ type: 'ack', seq: 1, receivedAt: expect.any(Number), admitted: true });
    expect(acks[1]).toEqual({ type: 'ack', seq: 1, receivedAt: expect.any(Number), admitted: false, reason: 'out_of_order' });
    const receivedAt = (acks[0] as { receivedAt: number }).receivedAt;
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(Date.now());
    c.ws.close(1000);
    expect((await c.closed).code).toBe(1000);
  });

  it.each([
    ['the Authorization header', () => ({ query: {}, options: { headers: { authorization: `Bearer ${tenant.accessToken}` } } })],
    ['a bearer subprotocol', () => ({ query: {}, options: { protocols: ['trinetra-ingest.v1', `bearer.${tenant.accessToken}`] } })],
  ])('accepts the credential in %s', async (_name, how) => {
    const { query, options } = how();
    const c = connect({ cameraId: liveCamera, ...query }, options);
    await c.waitFor('ready');
    if ('protocols' in options) expect(c.ws.protocol).toBe('trinetra-ingest.v1');
    c.ws.close();
  });

  it('accepts an API key with the ingest scope and refuses one without it (4403)', async () => {
    const ingestKey = await createKey(['ingest']);
    const readKey = await createKey(['cameras:read']);
    const ok = connect({ cameraId: uploadCamera, token: ingestKey });
    await ok.waitFor('ready');
    ok.ws.send(frame(uploadCamera, 100));
    // Admission at the socket is ordering and burst suppression only (sampling is the control plane's).
    expect((await ok.waitFor('ack'))[0]).toMatchObject({ seq: 100, admitted: true });
    ok.ws.close();
    const refused = connect({ cameraId: uploadCamera, token: readKey });
    expect(await refused.closed).toEqual({ code: IngestCloseCode.Forbidden, reason: "the credential lacks the 'ingest' scope" });
    expect(refused.messages).toEqual([]);
  });

  it.each([
    ['no credential', () => ({ cameraId: uploadCamera }), IngestCloseCode.Unauthorized],
    ['a bad token', () => ({ cameraId: uploadCamera, token: 'not-a-token' }), IngestCloseCode.Unauthorized],
    ['a revoked-looking API key', () => ({ cameraId: uploadCamera, token: 'trk_abcdefgh_nope' }), IngestCloseCode.Unauthorized],
    ["another tenant's camera", () => ({ cameraId: foreignCamera, token: tenant.accessToken }), IngestCloseCode.NotFound],
    ['an unknown camera', () => ({ cameraId: '00000000-0000-4000-8000-000000000000', token: tenant.accessToken }), IngestCloseCode.NotFound],
    ['a malformed camera id', () => ({ cameraId: "x' OR 1=1", token: tenant.accessToken }), IngestCloseCode.NotFound],
    ['a camera that does not take uploads', () => ({ cameraId: fileCamera, token: tenant.accessToken }), IngestCloseCode.CameraNotUploadable],
  ])('refuses %s', async (_name, query, code) => {
    const c = connect(query());
    expect((await c.closed).code).toBe(code);
    expect(c.messages).toEqual([]);
  });

  it('a foreign and an unknown camera are refused alike (no existence leak)', async () => {
    const foreign = await connect({ cameraId: foreignCamera, token: tenant.accessToken }).closed;
    const unknown = await connect({ cameraId: '00000000-0000-4000-8000-000000000000', token: tenant.accessToken }).closed;
    expect(foreign.reason.replace(foreignCamera, 'ID')).toBe(unknown.reason.replace('00000000-0000-4000-8000-000000000000', 'ID'));
  });

  it('answers malformed frames with typed errors, then closes 4400', async () => {
    const c = connect({ cameraId: liveCamera, token: tenant.accessToken });
    await c.waitFor('ready');
    c.ws.send(Buffer.from([1, 2, 3]));
    c.ws.send(frame(liveCamera, 1, Buffer.from('not a jpeg')));
    const errors = await c.waitFor('error', 2);
    expect(errors).toEqual([
      { type: 'error', code: 'truncated_header', message: 'expected at least 14 header bytes, but got 3' },
      { type: 'error', code: 'not_jpeg', seq: 1, message: 'expected a JPEG (FF D8), but the payload starts with 6e6f' },
    ]);
    c.ws.send('{"hello":1}');
    const closed = await c.closed;
    expect(closed.code).toBe(IngestCloseCode.BadRequest);
    expect(closed.reason).toContain('too many malformed messages');
  });

  it('closes 1009 on a frame above the payload bound', async () => {
    const c = connect({ cameraId: liveCamera, token: tenant.accessToken });
    await c.waitFor('ready');
    c.ws.send(frame(liveCamera, 1, Buffer.concat([JPEG, Buffer.alloc(70 * 1024)])));
    expect((await c.closed).code).toBe(IngestCloseCode.MessageTooBig);
  });

  it('suppresses frames above the connection rate with acks, and closes 4429 on sustained abuse', async () => {
    const c = connect({ cameraId: uploadCamera, token: tenant.accessToken });
    await c.waitFor('ready');
    for (let seq = 1000; seq < 1020; seq++) c.ws.send(frame(uploadCamera, seq));
    const acks = (await c.waitFor('ack', 20)) as Array<{ seq: number; admitted: boolean; reason?: string }>;
    expect(acks.map((a) => a.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 1000 + i));
    expect(acks.filter((a) => a.reason === 'burst_suppressed').length).toBeGreaterThanOrEqual(10);
    // Keep flooding across windows: the second abusive window in a row closes the connection.
    let seq = 2000;
    const flood = setInterval(() => {
      for (let i = 0; i < 20 && c.ws.readyState === WebSocket.OPEN; i++) c.ws.send(frame(uploadCamera, seq++));
    }, 20);
    const closed = await c.closed;
    clearInterval(flood);
    expect(closed.code).toBe(IngestCloseCode.TooManyRequests);
  });
});
