import { Redis } from 'ioredis';
import { Client } from 'pg';
import { alive, childPidsOf, exitOf, ownerName, type Replica, startServerProcess, until } from './support/server-process';
import { gql, signUpTenant } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/**
 * Two API replicas (each `npm start`'s entry with one gpu-worker of its own, the SIMULATOR
 * inference backend: simulator cameras answered from their ground truth) on one Postgres and
 * one Redis. Camera ownership by Redis leases (docs/ARCHITECTURE.md, "Camera ownership across
 * replicas"): each running camera is processed by exactly one replica; when one is SIGKILLed,
 * the other takes its cameras over once their leases expire (TTL 5 s, renewal 1.5 s), resuming
 * each tracker from its checkpoint.
 */

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const LEASE = 'trinetra:camera-lease:';
const CHECKPOINT = 'trinetra:tracker-checkpoint:';
const CAMERAS = 6;
const FPS = 4;

interface Result {
  cameraId: string;
  seq: number;
  captureTs: number;
  /** Index in arrival order, so "after the kill" is a position in the stream, not a clock reading. */
  at: number;
  receivedAt: number;
}


describe('camera ownership across two server replicas (simulator backend)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('splits 6 running cameras between two replicas; after SIGKILL of one, the other resumes every camera within 10 s and no frame is processed twice', async () => {
    const replicas: Replica[] = [];
    const watcher = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const pg = new Client({ connectionString: db.url });
    const cameraIds: string[] = [];
    try {
      await pg.connect();
      const env = {
        DATABASE_URL: db.url,
        REDIS_URL,
        JWT_SECRET: 'replica-failover-test-secret-0123456789abcdef',
        SEED_DEMO: 'false',
        NODE_ENV: 'test',
        // info: the server's "listening" line is how startServerProcess finds its URL.
        LOG_LEVEL: 'info',
        FRAME_QUEUE_NAME: `frames-test-${db.name}`,
        WORKER_PROCESSES: '1',
        WORKER_INFERENCE_BACKEND: 'simulated',
        CAMERA_LEASE_TTL_MS: '5000',
        CAMERA_LEASE_RENEW_MS: '1500',
        // A's unacknowledged usage units are taken over by B's ledger writer 2 s after A died.
        USAGE_OUTBOX_CLAIM_IDLE_MS: '2000',
      };
      for (const name of ['replica-a', 'replica-b']) {
        // A loaded machine (2 shared cores) can take most of a minute to boot a server.
        const started = await startServerProcess({ ...env, REPLICA_ID: name }, { startTimeoutMs: 90_000 });
        replicas.push({ name, ...started, workerPids: childPidsOf(started.child.pid) });
      }
      const [a, b] = replicas as [Replica, Replica];
      expect(a.workerPids.length).toBe(1);
      expect(b.workerPids.length).toBe(1);

      const { accessToken: token } = await signUpTenant(a.url, 'Replicas');
      const tenantId = (await gql(a.url, `{ me { tenant { id } } }`, {}, token)).data!['me'].tenant.id as string;
      // Six running cameras need a plan with that many concurrent streams (the default allows 4).
      await pg.query(`UPDATE "Tenant" SET "planId" = (SELECT id FROM "Plan" WHERE code = 'pro') WHERE id = $1`, [tenantId]);

      // Every frame result of the tenant, from either replica, straight off Redis pub/sub.
      const results: Result[] = [];
      watcher.on('message', (_channel: string, message: string) => {
        const r = JSON.parse(message) as Omit<Result, 'at' | 'receivedAt'>;
        results.push({ cameraId: r.cameraId, seq: r.seq, captureTs: r.captureTs, at: results.length, receivedAt: Date.now() });
      });
      await watcher.subscribe(`FRAME_RESULTS:${tenantId}`);

      // Three cameras started through each replica: the replica that starts a camera takes its lease.
      for (let i = 0; i < CAMERAS; i++) {
        const via = i < CAMERAS / 2 ? a : b;
        const created = await gql(
          via.url,
          `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
          { input: { name: `Sim ${i}`, sourceKind: 'SIMULATOR', tier: 'STANDARD', targetFps: FPS, sourceUrl: `sim://people?count=2&seed=${i + 1}` } },
          token,
        );
        expect(created.errors).toBeUndefined();
        const id = created.data!['createCamera'].id as string;
        cameraIds.push(id);
        expect((await gql(via.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id }, token)).errors).toBeUndefined();
      }
      const resultsOf = (id: string, from = 0): Result[] => results.filter((r) => r.cameraId === id && r.at >= from);
      await until('5 results of every camera', () => cameraIds.every((id) => resultsOf(id).length >= 5), 60_000);

      // Each camera is owned by exactly one replica (one lease), and both replicas own some.
      const owners = await Promise.all(cameraIds.map(async (id) => ownerName(await redis.get(`${LEASE}${id}`))));
      // Mostly the replica a camera was started through; the other one's reconcile loop may win
      // the race for a camera between its start being recorded and the start taking the lease.
      for (const owner of owners) expect(['replica-a', 'replica-b']).toContain(owner);
      const ownedBy = (name: string): string[] => cameraIds.filter((_, i) => owners[i] === name).sort();
      expect(ownedBy('replica-a').length).toBeGreaterThan(0);
      expect(ownedBy('replica-b').length).toBeGreaterThan(0);
      // Each replica runs exactly the cameras it holds the leases of.
      const runningOn = async (r: Replica): Promise<string[]> =>
        ((await gql(r.url, `{ pipelineHealth { cameras { cameraId } } }`, {}, token)).data!['pipelineHealth'].cameras as { cameraId: string }[]).map((c) => c.cameraId).sort();
      expect(await runningOn(a)).toEqual(ownedBy('replica-a'));
      expect(await runningOn(b)).toEqual(ownedBy('replica-b'));

      // SIGKILL replica A: no shutdown, its leases are left to expire.
      const killedAt = Date.now();
      await exitOf(a.child, 'SIGKILL', 1_000);
      // Everything A published has reached Redis before it died; a round trip on the watcher's
      // connection puts every such message before this point of the stream.
      await watcher.ping();
      const afterKill = results.length;
      const moved = ownedBy('replica-a');

      // A's last checkpoints, read now: A is dead, and B may take a camera only once A's lease has
      // expired (seconds away), so nothing else has written them. (Read at takeover instead, a
      // loaded machine let B's first checkpoint in first, counting one frame twice in the check.)
      const checkpointAtTakeover = new Map<string, number>();
      for (const id of moved) {
        const raw = await redis.get(`${CHECKPOINT}${id}`);
        checkpointAtTakeover.set(id, raw ? (JSON.parse(raw) as { frame: number }).frame : 0);
      }

      // Each of A's cameras: its lease goes to B, and B's results for it start within 10 s.
      await Promise.all(
        moved.map(async (id) => {
          await until(`camera ${id} to move to replica-b`, async () => ownerName(await redis.get(`${LEASE}${id}`)) === 'replica-b', 15_000);
          const first = await until(`camera ${id} to resume on replica-b`, () => resultsOf(id, afterKill)[0], 20_000);
          expect(first.receivedAt - killedAt).toBeLessThanOrEqual(10_000);
        }),
      );
      await until('5 results of every moved camera on replica-b', () => moved.every((id) => resultsOf(id, afterKill).length >= 5), 30_000);
      expect(await runningOn(b)).toEqual([...cameraIds].sort());

      // B stops gracefully: in-flight results go out, then checkpoints (frame counters) are written.
      await exitOf(b.child, 'SIGTERM', 20_000);
      await watcher.ping();

      // One processing stream at a time. A run of a camera (one source, one tracker) numbers its
      // frames from 0 (results may skip some: a loaded machine drops STANDARD frames past their
      // deadline); two replicas tracking the same camera would interleave two sequences, going
      // back again and again. Allowed: one restart while the cameras were being started (a start
      // made through one replica while the other had just taken the camera restarts it there),
      // and the move after the kill.
      const runsOf = (rs: Result[]): Result[][] => {
        const runs: Result[][] = [];
        for (const r of rs) {
          const current = runs[runs.length - 1];
          if (current && r.seq > current[current.length - 1]!.seq) current.push(r);
          else runs.push([r]);
        }
        return runs;
      };
      for (const id of cameraIds) {
        const all = resultsOf(id);
        const before = runsOf(all.filter((r) => r.at < afterKill));
        const after = runsOf(all.filter((r) => r.at >= afterKill));
        expect(before.length).toBeLessThanOrEqual(2);
        const finalFrame = (JSON.parse((await redis.get(`${CHECKPOINT}${id}`))!) as { frame: number }).frame;
        if (moved.includes(id)) {
          expect(after.length).toBe(1);
          const base = checkpointAtTakeover.get(id)!;
          // A's last checkpoint counts no frame A did not publish (but the one whose result may
          // still have been on its way out when A died); B continued from it and counted exactly
          // the frames it published (a frame tracked twice would count twice).
          expect(base).toBeGreaterThan(0);
          expect(base).toBeLessThanOrEqual(before[before.length - 1]!.length + 1);
          expect(finalFrame).toBe(base + after[0]!.length);
        } else {
          // B's own camera: untouched by the kill; its tracker counted exactly the frames of its run.
          expect(after.length).toBeLessThanOrEqual(1);
          const runs = runsOf(all);
          expect(runs.length).toBe(before.length);
          expect(finalFrame).toBe(runs[runs.length - 1]!.length);
        }
        // No frame result twice.
        expect(new Set(all.map((r) => `${r.captureTs}:${r.seq}`)).size).toBe(all.length);
      }

      // Accounting: the usage ledger meters each published frame once (docs/QUOTAS.md, "Usage
      // outbox"): a frame's PUBLISH and its unit are one atomic Redis step, and what A's ledger
      // writer left when it died was claimed by B's; B inserted the rest before it stopped.
      const { rows } = await pg.query<{ idempotencyKey: string }>(`SELECT "idempotencyKey" FROM "UsageRecord" WHERE meter = 'frames_processed'`);
      const metered = new Set(rows.map((r) => r.idempotencyKey));
      expect(metered.size).toBe(rows.length);
      const keyOf = (r: Result): string => `${r.cameraId}:${r.captureTs}:${r.seq}`;
      const published = new Set(results.map(keyOf));
      expect([...metered].filter((k) => !published.has(k))).toEqual([]);
      expect([...published].filter((k) => !metered.has(k))).toEqual([]);
    } finally {
      for (const r of replicas) await exitOf(r.child, 'SIGTERM', 20_000);
      for (const pid of replicas.flatMap((r) => r.workerPids)) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await watcher.quit().catch(() => undefined);
      const keys = cameraIds.flatMap((id) => [`${LEASE}${id}`, `${LEASE}${id}:token`, `${CHECKPOINT}${id}`]);
      if (keys.length > 0) await redis.del(...keys).catch(() => undefined);
      await redis.quit().catch(() => undefined);
      await pg.end().catch(() => undefined);
    }
  }, 400_000);
});
