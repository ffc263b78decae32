import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ByteTracker } from '../domain/mot/byte-tracker';
import { Detections } from '../domain/mot/detections';
import { restoreTracker } from '../domain/mot/tracker-checkpoint.store';
import { RedisTrackerCheckpointStore } from './tracker-checkpoint.redis';

/** One frame with two people walking towards each other. */
const frame = (f: number) =>
  Detections.create({ boxes: [[10 + 4 * f, 20, 50 + 4 * f, 120], [400 - 3 * f, 30, 440 - 3 * f, 130]], scores: [0.9, 0.8] });

describe('RedisTrackerCheckpointStore (real Redis)', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
    prefix = `test:tracker-checkpoint:${randomUUID()}:`;
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('checkpoint and restore keep track ids across a restart', async () => {
    const store = new RedisTrackerCheckpointStore(redis, { keyPrefix: prefix, ttlSeconds: 60 });
    const before = new ByteTracker();
    for (let f = 0; f < 10; f++) before.update(frame(f));
    await store.save('cam-1', before.toSnapshot());

    // "Restart": a new store on a new connection restores the camera's tracker.
    const redis2 = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const restored = await restoreTracker(new RedisTrackerCheckpointStore(redis2, { keyPrefix: prefix }), 'cam-1');
      expect(restored.origin).toBe('restored');
      const continued = before.update(frame(10)).tracks.map((t) => t.trackId).sort();
      const afterRestart = restored.tracker.update(frame(10)).tracks.map((t) => t.trackId).sort();
      expect(afterRestart).toEqual(continued);
      expect(afterRestart).toEqual([1, 2]);
    } finally {
      await redis2.quit();
    }
  });

  it('stores with a TTL and renews it on save', async () => {
    const store = new RedisTrackerCheckpointStore(redis, { keyPrefix: prefix, ttlSeconds: 30 });
    await store.save('cam-ttl', new ByteTracker().toSnapshot());
    const ttl = await redis.ttl(store.keyOf('cam-ttl'));
    expect(ttl).toBeGreaterThan(25);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('an expired checkpoint gives a fresh tracker', async () => {
    const store = new RedisTrackerCheckpointStore(redis, { keyPrefix: prefix, ttlSeconds: 1 });
    const tracker = new ByteTracker();
    tracker.update(frame(0));
    await store.save('cam-exp', tracker.toSnapshot());
    await redis.pexpire(store.keyOf('cam-exp'), 1);
    // Wait for Redis to report the key expired (PTTL -2), not for a guessed time.
    while ((await redis.pttl(store.keyOf('cam-exp'))) !== -2) await new Promise((r) => setImmediate(r));
    const restored = await restoreTracker(store, 'cam-exp');
    expect(restored.origin).toBe('fresh');
    expect(restored.tracker.frameCount).toBe(0);
  });

  it.each([
    ['not JSON', '{oops'],
    ['wrong shape', JSON.stringify({ version: 9 })],
  ])('a corrupt checkpoint (%s) is discarded, not fatal', async (_name, value) => {
    const store = new RedisTrackerCheckpointStore(redis, { keyPrefix: prefix });
    await redis.set(store.keyOf('cam-bad'), value, 'EX', 60);
    const restored = await restoreTracker(store, 'cam-bad');
    expect(restored.origin).toBe('discarded');
  });

  it('delete removes the checkpoint; cameras do not see each other', async () => {
    const store = new RedisTrackerCheckpointStore(redis, { keyPrefix: prefix });
    await store.save('cam-a', new ByteTracker().toSnapshot());
    expect(await store.load('cam-b')).toBeUndefined();
    await store.delete('cam-a');
    expect(await store.load('cam-a')).toBeUndefined();
  });
});
