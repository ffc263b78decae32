/**
 * Two replicas' pub/subs on the real Redis of the run: a zone edit made through replica A
 * invalidates the camera's analytics configuration on replica B (which owns the camera), and
 * A invalidates at once without waiting for Redis. Malformed messages are ignored.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedisPubSub } from '../graphql/redis-pub-sub';
import { createLogger } from '../observability/logger';
import { ANALYTICS_CONFIG_TOPIC, broadcastAnalyticsConfigChanges } from './analytics-config-bus';

const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function replica() {
  const publisher = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl, { enableReadyCheck: false });
  const seen: string[] = [];
  const pubSub = createRedisPubSub(publisher, subscriber);
  const bus = broadcastAnalyticsConfigChanges(pubSub, createLogger('silent'), (tenantId, cameraId) => seen.push(`${tenantId}/${cameraId}`));
  bus.start();
  return {
    pubSub,
    bus,
    seen,
    close: async () => {
      bus.stop();
      // The listener's UNSUBSCRIBE is sent on the next turns; quit after it, not before.
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all([publisher.quit(), subscriber.quit()]);
    },
  };
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('analytics configuration changes across replicas', () => {
  it("invalidates the owner's cached zones when another replica edits them", async () => {
    const a = replica();
    const b = replica();
    try {
      // The subscriptions attach asynchronously: announce a warm-up change until B has heard one
      // (other servers of the run share this Redis and channel, so a subscriber count proves nothing).
      const warmUp = randomUUID();
      while (!b.seen.some((s) => s.startsWith(warmUp))) {
        a.bus.changed(warmUp, 'warm-up');
        await new Promise((r) => setTimeout(r, 50));
      }
      a.seen.length = 0;
      b.seen.length = 0;

      const tenantId = randomUUID();
      const cameraId = randomUUID();
      a.bus.changed(tenantId, cameraId);
      expect(a.seen.filter((s) => s.startsWith(tenantId))[0]).toBe(`${tenantId}/${cameraId}`); // at once, before the round trip
      await eventually(() => b.seen.includes(`${tenantId}/${cameraId}`));

      a.pubSub.publish(ANALYTICS_CONFIG_TOPIC, { tenantId: 42 });
      a.bus.changed(tenantId, 'second');
      await eventually(() => b.seen.includes(`${tenantId}/second`));
      expect(b.seen.filter((s) => s.startsWith(tenantId))).toEqual([`${tenantId}/${cameraId}`, `${tenantId}/second`]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
