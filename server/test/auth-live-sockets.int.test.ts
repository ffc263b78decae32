import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { startServerProcess } from './support/server-process';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

/** Access tokens of this file's server live this long, so expiry is observable in a test. */
const TTL_S = 3;
/** This file signs up many tenants from one address; the per-address sign-up limit is not under test here. */
const SIGN_UPS = { SIGN_UP_PER_ADDRESS_PER_HOUR: '100000' };
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;

jest.setTimeout(60_000);

interface Closed {
  code: number;
  reason: string;
}

/** A socket with every text message kept and its close event as a promise. */
class Socket {
  readonly messages: Record<string, unknown>[] = [];
  readonly closed: Promise<Closed>;
  private waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** The first message (already received or to come) that matches; rejects when the socket closes first. */
  next(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return Promise.race([
      new Promise<Record<string, unknown>>((resolve) => this.waiters.push({ match, resolve })),
      this.closed.then((c) => Promise.reject(new Error(`socket closed (${c.code} ${c.reason}) before the expected message`))),
    ]);
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

/** A graphql-ws connection (raw protocol, so the test can send the re-authentication ping itself), acknowledged. */
async function graphqlWs(httpUrl: string, credential: string): Promise<Socket> {
  const socket = new Socket(new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws'));
  await new Promise((resolve, reject) => {
    socket.ws.once('open', resolve);
    socket.ws.once('error', reject);
  });
  socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } });
  await socket.next((m) => m['type'] === 'connection_ack');
  return socket;
}

/** Runs one operation over an open graphql-ws connection and returns its first result. */
async function operation(socket: Socket, id: string, query: string): Promise<Record<string, unknown>> {
  socket.send({ id, type: 'subscribe', payload: { query } });
  return socket.next((m) => m['id'] === id && (m['type'] === 'next' || m['type'] === 'error'));
}

/** An `/ingest` upload connection, past its `ready` message. */
async function ingestSocket(httpUrl: string, cameraId: string, credential: string): Promise<Socket> {
  const url = new URL('/ingest', httpUrl.replace(/^http/, 'ws'));
  url.searchParams.set('cameraId', cameraId);
  url.searchParams.set('token', credential);
  const socket = new Socket(new WebSocket(url));
  await socket.next((m) => m['type'] === 'ready');
  return socket;
}

function expiryOf(accessToken: string): number {
  return (JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

describe('open sockets lose their credential with it (attack: keep using a socket after revocation or expiry)', () => {
  let t: TestApp;
  const sockets: Socket[] = [];
  const track = (socket: Socket): Socket => (sockets.push(socket), socket);

  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL_S: String(TTL_S), ...SIGN_UPS });
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await t.stop();
  });

  async function tenantWithKey(scopes: string[]): Promise<{ admin: Awaited<ReturnType<typeof signUpTenant>>; keyId: string; key: string; cameraId: string }> {
    const admin = await signUpTenant(t.url, 'Live');
    const camera = await gql(t.url, `mutation { createCamera(input: { name: "Phone", sourceKind: UPLOAD, tier: LIVE }) { id } }`, {}, admin.accessToken);
    const created = await gql(
      t.url,
      `mutation($s: [String!]!) { createApiKey(input: { name: "k", scopes: $s }) { apiKey { id } secret } }`,
      { s: scopes },
      admin.accessToken,
    );
    const { apiKey, secret } = created.data!['createApiKey'];
    return { admin, keyId: apiKey.id, key: secret, cameraId: camera.data!['createCamera'].id };
  }

  /** Revokes a key with a fresh admin token (this file's tokens live 3 s). */
  async function revoke(url: string, admin: { refreshToken: string }, keyId: string): Promise<void> {
    const adminToken = (await gql(url, REFRESH, { t: admin.refreshToken })).data!['refreshToken'].accessToken as string;
    const res = await gql(url, `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: keyId }, adminToken);
    expect(res.errors).toBeUndefined();
  }

  it('closes a graphql-ws connection with 4403 when its API key is revoked', async () => {
    const { admin, keyId, key } = await tenantWithKey(['cameras:read']);
    const socket = track(await graphqlWs(t.url, key));
    expect(await operation(socket, '1', `{ me { kind } }`)).toMatchObject({ type: 'next', payload: { data: { me: { kind: 'apiKey' } } } });
    await revoke(t.url, admin, keyId);
    expect(await socket.closed).toMatchObject({ code: 4403, reason: expect.stringContaining('revoked') });
  });

  it('closes an /ingest connection with 4401 when its API key is revoked', async () => {
    const { admin, keyId, key, cameraId } = await tenantWithKey(['ingest']);
    const socket = track(await ingestSocket(t.url, cameraId, key));
    await revoke(t.url, admin, keyId);
    expect(await socket.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('revoked') });
  });

  it('closes graphql-ws and /ingest connections when their sign-in ends (sign-out)', async () => {
    const { admin, cameraId } = await tenantWithKey(['cameras:read']);
    const ws = track(await graphqlWs(t.url, admin.accessToken));
    const ingest = track(await ingestSocket(t.url, cameraId, admin.accessToken));
    const out = await gql(t.url, `mutation($t: String!) { signOut(refreshToken: $t) }`, { t: admin.refreshToken });
    expect(out.data?.['signOut']).toBe(true);
    expect(await ws.closed).toMatchObject({ code: 4403 });
    expect(await ingest.closed).toMatchObject({ code: 4401 });
    // The signed-out access token is refused over HTTP too, before its expiry.
    expect((await gql(t.url, `{ me { kind } }`, {}, admin.accessToken)).errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('closes the sockets of a sign-in whose refresh token was reused (stolen)', async () => {
    const admin = await signUpTenant(t.url, 'Reuse');
    const ws = track(await graphqlWs(t.url, admin.accessToken));
    expect((await gql(t.url, REFRESH, { t: admin.refreshToken })).errors).toBeUndefined();
    const reuse = await gql(t.url, REFRESH, { t: admin.refreshToken });
    expect(reuse.errors?.[0]?.extensions?.['reason']).toBe('REFRESH_TOKEN_REUSED');
    expect(await ws.closed).toMatchObject({ code: 4403 });
  });

  it('closes a graphql-ws connection when its access token expires', async () => {
    const admin = await signUpTenant(t.url, 'Expiry');
    const socket = track(await graphqlWs(t.url, admin.accessToken));
    const closed = await socket.closed;
    expect(closed).toMatchObject({ code: 4403, reason: expect.stringContaining('expired') });
    expect(Date.now()).toBeGreaterThanOrEqual(expiryOf(admin.accessToken) - 50);
  });

  it('keeps a graphql-ws connection that re-authenticates by ping before expiry, with the new token', async () => {
    const admin = await signUpTenant(t.url, 'Renew');
    const socket = track(await graphqlWs(t.url, admin.accessToken));
    // Like a client: refresh shortly before expiry (a token of the same second would expire with the old one).
    await sleep(expiryOf(admin.accessToken) - Date.now() - 1200);
    const fresh = (await gql(t.url, REFRESH, { t: admin.refreshToken })).data!['refreshToken'].accessToken as string;
    expect(expiryOf(fresh)).toBeGreaterThan(expiryOf(admin.accessToken));
    socket.send({ type: 'ping', payload: { authorization: `Bearer ${fresh}` } });
    await socket.next((m) => m['type'] === 'pong');
    await sleep(expiryOf(admin.accessToken) - Date.now() + 500);
    expect(socket.open).toBe(true);
    expect(await operation(socket, 'after', `{ me { kind } }`)).toMatchObject({ type: 'next', payload: { data: { me: { kind: 'user' } } } });
  });

  it("refuses re-authentication with another user's token (closes with 4403)", async () => {
    const admin = await signUpTenant(t.url, 'Mine');
    const other = await signUpTenant(t.url, 'Theirs');
    const socket = track(await graphqlWs(t.url, admin.accessToken));
    socket.send({ type: 'ping', payload: { authorization: `Bearer ${other.accessToken}` } });
    expect(await socket.closed).toMatchObject({ code: 4403, reason: expect.stringContaining('re-authentication refused') });
  });

  it('closes an /ingest connection at expiry unless it re-authenticates in time', async () => {
    const { admin, cameraId } = await tenantWithKey(['ingest']);
    const lapsing = track(await ingestSocket(t.url, cameraId, admin.accessToken));
    const renewing = track(await ingestSocket(t.url, cameraId, admin.accessToken));
    await sleep(expiryOf(admin.accessToken) - Date.now() - 1200);
    const fresh = (await gql(t.url, REFRESH, { t: admin.refreshToken })).data!['refreshToken'].accessToken as string;
    renewing.send({ type: 'reauthenticate', token: fresh });
    expect(await renewing.next((m) => m['type'] === 'reauthenticated')).toMatchObject({ expiresAt: expiryOf(fresh) });
    expect(await lapsing.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('expired') });
    await sleep(expiryOf(admin.accessToken) - Date.now() + 500);
    expect(renewing.open).toBe(true);
  });

  describe('across server processes', () => {
    let other: { child: ChildProcess; url: string } | undefined;
    beforeAll(async () => {
      other = await startServerProcess({
        DATABASE_URL: t.db.url,
        REDIS_URL: t.config.REDIS_URL,
        JWT_SECRET: t.config.JWT_SECRET,
        SEED_DEMO: 'false',
        ACCESS_TOKEN_TTL_S: String(TTL_S),
        ...SIGN_UPS,
      });
    });
    afterAll(() => {
      other?.child.kill('SIGTERM');
    });

    it('closes a connection to another process when the key is revoked here', async () => {
      const { admin, keyId, key, cameraId } = await tenantWithKey(['cameras:read', 'ingest']);
      const ws = track(await graphqlWs(other!.url, key));
      const ingest = track(await ingestSocket(other!.url, cameraId, key));
      await revoke(t.url, admin, keyId);
      expect(await ws.closed).toMatchObject({ code: 4403 });
      expect(await ingest.closed).toMatchObject({ code: 4401 });
    });
  });
});
