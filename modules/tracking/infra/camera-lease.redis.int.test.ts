import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { ByteTracker } from '../domain/mot/byte-tracker';
import { MotErrorCode } from '../domain/mot/mot.error';
import { CameraOwnership } from '../pipeline/camera-ownership';
import { PARKED_LEASE, RedisCameraLeases } from './camera-lease.redis';
import { RedisTrackerCheckpointStore } from './tracker-checkpoint.redis';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Resolves once Redis reports the key gone (expired), never by a guessed sleep. */
async function untilExpired(redis: Redis, key: string): Promise<void> {
  while ((await redis.pttl(key)) !== -2) await new Promise((r) => setTimeout(r, 5));
}

describe('camera leases (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  const leasesOf = (owner: string, ttlMs = 5_000): RedisCameraLeases => new RedisCameraLeases(redis, { owner, ttlMs, keyPrefix: `${prefix}lease:` });
  const checkpointsOf = (): RedisTrackerCheckpointStore => new RedisTrackerCheckpointStore(redis, { keyPrefix: `${prefix}ckpt:`, leaseKeyPrefix: `${prefix}lease:` });

  beforeEach(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    prefix = `test:camera-lease:${randomUUID()}:`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('one owner at a time: the first acquire wins, others get null, the holder re-acquires its own lease', async () => {
    const a = leasesOf('replica-a');
    const b = leasesOf('replica-b');
    const holder = await a.acquire('cam-1');
    expect(holder).toMatch(/^replica-a#\d+$/);
    expect(await b.acquire('cam-1')).toBeNull();
    expect(await a.acquire('cam-1')).toBe(holder);
    expect(await a.holderOf('cam-1')).toBe(holder);
    const ttl = await redis.pttl(a.keyOf('cam-1'));
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('renewal extends the holder\'s lease and fails for anyone else', async () => {
    const a = leasesOf('replica-a');
    const holder = (await a.acquire('cam-1'))!;
    await redis.pexpire(a.keyOf('cam-1'), 1_000);
    expect(await a.renew('cam-1', holder)).toBe(true);
    expect(await redis.pttl(a.keyOf('cam-1'))).toBeGreaterThan(4_000);
    expect(await leasesOf('replica-b').renew('cam-1', 'replica-b#99')).toBe(false);
    expect(await a.holderOf('cam-1')).toBe(holder);
  });

  it('an expired lease is taken over with a newer fencing token, and the old holder\'s renewal then fails', async () => {
    const a = leasesOf('replica-a', 200);
    const b = leasesOf('replica-b', 200);
    const old = (await a.acquire('cam-1'))!;
    await untilExpired(redis, a.keyOf('cam-1'));
    const taken = (await b.acquire('cam-1'))!;
    expect(taken).toMatch(/^replica-b#\d+$/);
    expect(Number(taken.split('#')[1])).toBeGreaterThan(Number(old.split('#')[1]));
    expect(await a.renew('cam-1', old)).toBe(false);
    expect(await a.holderOf('cam-1')).toBe(taken);
  });

  it('a checkpoint written with a stale fencing token is refused and leaves the new owner\'s state alone', async () => {
    const a = leasesOf('replica-a', 200);
    const b = leasesOf('replica-b', 200);
    const checkpoints = checkpointsOf();
    const old = (await a.acquire('cam-1'))!;
    const first = new ByteTracker().toSnapshot();
    await checkpoints.save('cam-1', first, old);
    await untilExpired(redis, a.keyOf('cam-1'));
    const current = (await b.acquire('cam-1'))!;
    const newer = { ...new ByteTracker().toSnapshot(), frame: 42 };
    await checkpoints.save('cam-1', newer, current);
    await expect(checkpoints.save('cam-1', { ...first, frame: 7 }, old)).rejects.toMatchObject({ code: MotErrorCode.CHECKPOINT_FENCED });
    expect(await checkpoints.load('cam-1')).toEqual(newer);
    // No lease at all: a fenced write is refused too.
    await expect(checkpoints.save('cam-2', first, 'replica-a#1')).rejects.toMatchObject({ code: MotErrorCode.CHECKPOINT_FENCED });
    expect(await checkpoints.load('cam-2')).toBeUndefined();
  });

  it('release is the holder\'s only; a parked lease is not taken by failover, only by an explicit start', async () => {
    const a = leasesOf('replica-a');
    const b = leasesOf('replica-b');
    const holder = (await a.acquire('cam-1'))!;
    expect(await b.release('cam-1', 'replica-b#1')).toBe(false);
    expect(await a.park('cam-1', holder)).toBe(true);
    expect(await a.holderOf('cam-1')).toBe(PARKED_LEASE);
    expect(await b.acquire('cam-1')).toBeNull();
    const started = (await b.acquire('cam-1', { takeParked: true }))!;
    expect(started).toMatch(/^replica-b#/);
    expect(await b.release('cam-1', started)).toBe(true);
    expect(await a.holderOf('cam-1')).toBeNull();
    expect(await a.acquire('cam-1')).toMatch(/^replica-a#/);
  });

  it('CameraOwnership reports a lease another replica took as lost, and keeps the ones it renews', async () => {
    const ownership = new CameraOwnership(leasesOf('replica-a'), { renewEveryMs: 1_000 });
    await ownership.claim('cam-1');
    await ownership.claim('cam-2');
    // cam-2's lease is taken from under it (as after an expiry takeover).
    await redis.set(leasesOf('x').keyOf('cam-2'), 'replica-b#1000', 'PX', 5_000);
    const lost: string[] = [];
    await ownership.renewAll((id) => lost.push(id), (err) => { throw err; });
    expect(lost).toEqual(['cam-2']);
    expect(ownership.ownedCameraIds()).toEqual(['cam-1']);
  });
});

/** A private redis-server (no persistence), so restarting it disturbs no other test. */
async function startPrivateRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true, disconnectTimeout: 10 });
  try {
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return child;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  } finally {
    probe.disconnect();
  }
}

async function stopRedis(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('camera leases across a Redis restart (private redis-server)', () => {
  let server: ChildProcess | undefined;
  let redis: Redis | undefined;
  afterEach(async () => {
    redis?.disconnect();
    await stopRedis(server);
  });

  it('the holder re-asserts its lease after Redis lost it; a replica that took it first wins and the old holder is fenced', async () => {
    const port = await freePort();
    server = await startPrivateRedis(port);
    redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 20, disconnectTimeout: 10 });
    const a = new RedisCameraLeases(redis, { owner: 'replica-a', ttlMs: 5_000 });
    const b = new RedisCameraLeases(redis, { owner: 'replica-b', ttlMs: 5_000 });
    const checkpoints = new RedisTrackerCheckpointStore(redis);
    const holderA = (await a.acquire('cam-1'))!;
    const holderA2 = (await a.acquire('cam-2'))!;

    // Redis restarts without its data: every lease and token counter is gone.
    await stopRedis(server);
    server = await startPrivateRedis(port);
    await redis.ping();
    expect(await a.holderOf('cam-1')).toBeNull();

    // cam-1: the holder renews first and keeps it; nobody else can take it.
    expect(await a.renew('cam-1', holderA)).toBe(true);
    expect(await b.acquire('cam-1')).toBeNull();
    await checkpoints.save('cam-1', new ByteTracker().toSnapshot(), holderA);

    // cam-2: another replica takes it first (token counter restarted); the old holder loses it.
    const holderB = (await b.acquire('cam-2'))!;
    expect(holderB).not.toBe(holderA2);
    expect(await a.renew('cam-2', holderA2)).toBe(false);
    await expect(checkpoints.save('cam-2', new ByteTracker().toSnapshot(), holderA2)).rejects.toMatchObject({ code: MotErrorCode.CHECKPOINT_FENCED });
  });

  it('CameraOwnership gives up a lease it could not renew for TTL − one interval (Redis down), before Redis would let it go', async () => {
    const port = await freePort();
    server = await startPrivateRedis(port);
    redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => 20, enableOfflineQueue: false, disconnectTimeout: 10 });
    const connected = redis;
    await new Promise((resolve) => connected.once('ready', resolve));
    let now = 0;
    const ownership = new CameraOwnership(new RedisCameraLeases(redis, { owner: 'replica-a', ttlMs: 5_000 }), { renewEveryMs: 1_500, now: () => now });
    await ownership.claim('cam-1');
    await stopRedis(server);
    const lost: string[] = [];
    const errors: unknown[] = [];
    now = 3_000;
    await ownership.renewAll((id) => lost.push(id), (err) => errors.push(err));
    expect(lost).toEqual([]);
    expect(errors.length).toBe(1);
    now = 3_500;
    await ownership.renewAll((id) => lost.push(id), (err) => errors.push(err));
    expect(lost).toEqual(['cam-1']);
    expect(ownership.owns('cam-1')).toBe(false);
  });
});
