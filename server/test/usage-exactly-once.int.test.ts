import { Redis } from 'ioredis';
import { Client } from 'pg';
import { alive, childPidsOf, exitOf, ownerName, type Replica, startServerProcess, until } from './support/server-process';
import { gql, nextResults, signUpTenant, wsClient } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Exactly-once metering as the customer sees it (docs/QUOTAS.md, "Usage outbox"). Two server
 * replicas (each `npm start`'s entry with one gpu-worker, simulator backend) on one Postgres and
 * one Redis; a BILLING camera (never dropped) runs on one of them, the victim. A graphql-ws
 * subscriber on the other replica, subscribed before the camera starts, collects every frame result. Mid-stream the victim's gpu-worker
 * is SIGKILLed (the server restarts it), then the victim server itself (its leases expire, the
 * other replica takes the camera over and claims what the victim's ledger writer had left), then
 * the victim is started again. At the end the ledger rows of the camera are exactly the frames
 * the subscriber received: each once, none that was not delivered.
 */

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const LEASE = 'trinetra:camera-lease:';
const CHECKPOINT = 'trinetra:tracker-checkpoint:';
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq captureTs } }`;
type Frame = { data: { frameResults: { seq: number; captureTs: number } } };


describe('usage ledger exactly-once under SIGKILL (server and worker)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts every frame delivered to a subscriber exactly once, and nothing else, across a worker kill, a server kill and a restart', async () => {
    const replicas: Replica[] = [];
    const spawned: Replica[] = [];
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const pg = new Client({ connectionString: db.url });
    let cameraId: string | null = null;
    let dispose = (): void => undefined;
    try {
      await pg.connect();
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL,
        JWT_SECRET: 'usage-exactly-once-test-secret-0123456789abcdef',
        SEED_DEMO: 'false',
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        FRAME_QUEUE_NAME: `frames-test-${db.name}`,
        WORKER_PROCESSES: '1',
        WORKER_INFERENCE_BACKEND: 'simulated',
        CAMERA_LEASE_TTL_MS: '5000',
        CAMERA_LEASE_RENEW_MS: '1500',
        // The dead replica's unacknowledged units are claimed 2 s after it last touched them.
        USAGE_OUTBOX_CLAIM_IDLE_MS: '2000',
      };
      const start = async (name: string): Promise<Replica> => {
        const started = await startServerProcess({ ...env, REPLICA_ID: name }, { startTimeoutMs: 90_000 });
        const replica = { name, ...started, workerPids: childPidsOf(started.child.pid) };
        spawned.push(replica);
        return replica;
      };
      for (const name of ['replica-a', 'replica-b']) replicas.push(await start(name));
      const [a] = replicas as [Replica, Replica];

      const { accessToken: token } = await signUpTenant(a.url, 'Exactly once');
      const created = await gql(
        a.url,
        `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
        { input: { name: 'Till', sourceKind: 'SIMULATOR', tier: 'BILLING', targetFps: 5, sourceUrl: 'sim://people?count=2&seed=7' } },
        token,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data!['createCamera'].id as string;
      cameraId = id;
      // The customer subscribes on both replicas before the camera starts (which replica takes
      // it is known only after): every frame published is delivered to both while both live.
      const subs = new Map<string, { client: ReturnType<typeof wsClient>; sub: ReturnType<typeof nextResults<Frame>> }>();
      for (const r of replicas) {
        const client = wsClient(r.url.replace(/^http/, 'ws'), token);
        const sub = nextResults<Frame>(client, FRAMES, { id }, Number.MAX_SAFE_INTEGER);
        subs.set(r.name, { client, sub });
        sub.promise.catch(() => undefined);
      }
      dispose = () => {
        for (const { sub, client } of subs.values()) {
          sub.dispose();
          void client.dispose();
        }
      };
      // Both subscriptions hold the same channel: ready once Redis reports two subscribers on it.
      await Promise.all([...subs.values()].map(({ sub }) => sub.ready));
      const channel = `FRAME_RESULTS:${(await gql(a.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string}`;
      await until('both subscriptions on Redis', async () => ((await redis.pubsub('NUMSUB', channel)) as [string, number])[1] >= 2, 15_000);

      expect((await gql(a.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id }, token)).errors).toBeUndefined();
      const owner = await until('the camera lease', async () => ownerName(await redis.get(`${LEASE}${id}`)), 30_000);
      const victim = replicas.find((r) => r.name === owner)!;
      const survivor = replicas.find((r) => r.name !== owner)!;
      expect(victim.workerPids.length).toBe(1);
      // From here the survivor's subscriber is the customer (the victim's socket dies with it).
      const { sub } = subs.get(survivor.name)!;
      subs.get(victim.name)!.sub.dispose();
      // The first n results, or a failure naming how many came (never waits forever).
      const delivered = async (n: number, timeoutMs = 90_000): Promise<Frame[]> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} frame results`)), timeoutMs);
        });
        try {
          return await Promise.race([sub.atLeast(n), timeout]);
        } finally {
          clearTimeout(timer);
        }
      };
      let seen = (await delivered(8)).length;

      // 1. SIGKILL the victim's gpu-worker mid-stream; the server restarts it and frames go on.
      process.kill(victim.workerPids[0]!, 'SIGKILL');
      seen = (await delivered(seen + 8)).length;

      // 2. SIGKILL the victim server mid-stream (its restarted worker dies with it or is killed here).
      const workersNow = childPidsOf(victim.child.pid);
      await exitOf(victim.child, 'SIGKILL', 1_000);
      for (const pid of [...victim.workerPids, ...workersNow]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await until('the camera to move to the survivor', async () => ownerName(await redis.get(`${LEASE}${id}`)) === survivor.name, 30_000);
      seen = (await delivered(seen + 8)).length;

      // 3. The victim starts again (a fresh process under the same name) while the camera runs on.
      replicas.splice(replicas.indexOf(victim), 1, await start(victim.name));
      seen = (await delivered(seen + 5)).length;

      // Stop the stream, let the last results arrive, then stop both replicas gracefully (their
      // ledger writers finish the round they are in; what is left stays in the outbox).
      expect((await gql(survivor.url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id }, token)).errors).toBeUndefined();
      let last = -1;
      await until('the stream to go quiet', async () => {
        const n = (await delivered(0)).length;
        const quiet = n === last;
        last = n;
        if (!quiet) await new Promise((r) => setTimeout(r, 2_000));
        return quiet;
      }, 60_000);
      const frames = (await delivered(0)).slice().map((f) => f.data.frameResults);
      dispose();
      dispose = () => undefined;

      // The ledger catches up through the live replicas' drains (the dead consumer's pending
      // entries are claimed once idle): wait until the outbox stream of this database is empty.
      const stream = `trinetra:usage:outbox:${db.name}`;
      await until('the usage outbox to drain', async () => (await redis.xlen(stream)) === 0, 60_000);

      const keyOf = (f: { seq: number; captureTs: number }): string => `${id}:${f.captureTs}:${f.seq}`;
      const deliveredKeys = frames.map(keyOf);
      // The subscriber saw no frame twice (a repeat would be fine for billing, but say so).
      expect(new Set(deliveredKeys).size).toBe(deliveredKeys.length);
      const { rows } = await pg.query<{ idempotencyKey: string; quantity: number }>(
        `SELECT "idempotencyKey", quantity FROM "UsageRecord" WHERE meter = 'frames_processed' AND "idempotencyKey" LIKE $1`,
        [`${id}:%`],
      );
      const metered = rows.map((r) => r.idempotencyKey);
      expect(rows.every((r) => r.quantity === 1)).toBe(true);
      // Each unit once.
      expect(new Set(metered).size).toBe(metered.length);
      // Exactly the delivered frames: nothing lost, nothing counted that was not delivered.
      const missing = deliveredKeys.filter((k) => !metered.includes(k));
      const extra = metered.filter((k) => !deliveredKeys.includes(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      expect(metered.length).toBe(deliveredKeys.length);
      expect(deliveredKeys.length).toBeGreaterThanOrEqual(seen);
    } finally {
      dispose();
      for (const r of spawned) await exitOf(r.child, 'SIGTERM', 20_000);
      for (const pid of spawned.flatMap((r) => r.workerPids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
      if (cameraId) await redis.del(`${LEASE}${cameraId}`, `${LEASE}${cameraId}:token`, `${CHECKPOINT}${cameraId}`).catch(() => undefined);
      await redis.del(`trinetra:usage:outbox:${db.name}`).catch(() => undefined);
      await redis.quit().catch(() => undefined);
      await pg.end().catch(() => undefined);
    }
  }, 500_000);
});
