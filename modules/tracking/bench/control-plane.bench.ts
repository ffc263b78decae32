/**
 * `npm run bench:control-plane`:
 *  (a) in-process control-plane cost per frame (admit, buffer, dispatch bookkeeping, merge,
 *      release, sweep) for 1,000 cameras at 30 fps on a simulated clock;
 *  (b) end to end through a private Redis, BullMQ and 2 gpu-worker processes (simulated
 *      backend): 8 cameras bursting to 600 frames/s in total.
 * Env: BENCH_INPROCESS_SECONDS (simulated seconds for (a), default 60; 600 = the 10-minute heap
 * check), BENCH_SECONDS (wall seconds for (b), default 60), BENCH_SKIP_E2E=1.
 * Last line: name=value pairs.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '@trinetra/shared';
import { ControlPlane } from '../application/control-plane.service';
import { DISPATCH_TIERS, FrameSupervisor, QuantileSketch, type DispatchTier, type DispatchFrame } from '../domain/supervision';
import { BullMqFrameTransport } from '../infra/bullmq-frame.transport';
import { simulatedFrame, TestRedisServer, WorkerProcess } from '../infra/testing/pipeline-test-kit';

const gc = (): void => (global as { gc?: () => void }).gc?.();
const heapMiB = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : 'NaN');

function inProcess(simSeconds: number) {
  const cameras = 1000;
  const clock = new ManualClock(0);
  const supervisor = new FrameSupervisor<{ n: number }>({ clock, maxInFlightFrames: 4096, reservedBillingSlots: 256 });
  const tiers: DispatchTier[] = ['BILLING', 'CRITICAL', 'STANDARD', 'STANDARD', 'STANDARD', 'BEST_EFFORT', 'LIVE', 'CRITICAL', 'STANDARD', 'STANDARD'];
  for (let c = 0; c < cameras; c += 1) supervisor.registerCamera(`cam-${c}`, tiers[c % tiers.length] as DispatchTier, { perception: 'SIMULATED', tiled: false });
  let delivered = 0;
  supervisor.onDelivered(() => {
    delivered += 1;
  });
  const image = Buffer.alloc(16);
  const result = { n: 1 };
  const workerLatencyMs = 20;
  const inFlight: Array<{ due: number; frames: DispatchFrame[] }> = [];
  const scratch: DispatchFrame[] = [];
  const seqs = new Float64Array(cameras);
  const perFrameUs: number[] = [];
  let frames = 0;
  const heapStart = heapMiB();
  const chunkMs = 100;
  for (let t = 0; t < simSeconds * 1000; t += chunkMs) {
    const started = performance.now();
    let chunkFrames = 0;
    for (let ms = t; ms < t + chunkMs; ms += 1) {
      clock.set(ms);
      // Camera c emits when its phase comes up: 30 frames/s each, spread over the second.
      for (let c = ms % 33; c < cameras; c += 33) {
        const seq = (seqs[c] as number) + 1;
        seqs[c] = seq;
        supervisor.submit({ cameraId: `cam-${c}`, seq, image });
        chunkFrames += 1;
      }
      for (let batch = supervisor.takeBatch(8, scratch); batch.length > 0; batch = supervisor.takeBatch(8, scratch)) inFlight.push({ due: ms + workerLatencyMs, frames: batch.slice() });
      while (inFlight.length > 0 && (inFlight[0] as { due: number }).due <= ms) {
        for (const f of (inFlight.shift() as { frames: DispatchFrame[] }).frames) supervisor.applyOutcome(f.cameraId, f.seq, f.frameId, { kind: 'result', result, inferenceMs: 10 });
      }
      if (ms % 10 === 0) supervisor.sweep();
    }
    perFrameUs.push(((performance.now() - started) * 1000) / chunkFrames);
    frames += chunkFrames;
  }
  const heapEnd = heapMiB();
  const violations = supervisor.accountingViolations().length;
  perFrameUs.sort((a, b) => a - b);
  return {
    frames,
    delivered,
    medianUs: perFrameUs[Math.floor(perFrameUs.length / 2)] as number,
    p99Us: perFrameUs[Math.floor(perFrameUs.length * 0.99)] as number,
    heapStart,
    heapEnd,
    violations,
  };
}

async function endToEnd(seconds: number) {
  const redis = await TestRedisServer.start();
  const queueName = `bench-${Date.now()}`;
  const transport = new BullMqFrameTransport({ redis: redis.url, queueName, instanceId: `bench${Date.now()}` });
  const plane = new ControlPlane(transport, { batchSize: 8, batchWaitMs: 4 });
  const cameras: Array<[string, DispatchTier]> = [
    ['bill-0', 'BILLING'],
    ['bill-1', 'BILLING'],
    ['crit-0', 'CRITICAL'],
    ['crit-1', 'CRITICAL'],
    ['std-0', 'STANDARD'],
    ['std-1', 'STANDARD'],
    ['std-2', 'STANDARD'],
    ['std-3', 'STANDARD'],
  ];
  for (const [id, tier] of cameras) plane.registerCamera(id, tier, { perception: 'SIMULATED', tiled: false });
  const e2e = new Map<DispatchTier, QuantileSketch>(DISPATCH_TIERS.map((t) => [t, new QuantileSketch()]));
  const all = new QuantileSketch();
  plane.onDelivered((f) => {
    e2e.get(f.tier)?.add(f.endToEndMs);
    all.add(f.endToEndMs);
  });
  plane.start();
  const env = { REDIS_URL: redis.url, FRAME_QUEUE_NAME: queueName, WORKER_CONCURRENCY: '4', SIMULATED_BATCH_MS: '2', SIMULATED_FRAME_MS: '0.5' };
  const workers = await Promise.all([WorkerProcess.spawn(env), WorkerProcess.spawn(env)]);
  const frames = Array.from({ length: 64 }, (_, i) => simulatedFrame(i, 5));
  const seqs = new Map(cameras.map(([id]) => [id, 0]));
  const billingBacklog = new Map<string, number[]>(cameras.filter(([, t]) => t === 'BILLING').map(([id]) => [id, []]));
  const start = Date.now();
  let emitted = 0;
  // 600 frames/s on average, in bursts: 900/s for 0.5 s, 300/s for 0.5 s.
  while (Date.now() - start < seconds * 1000) {
    const elapsed = (Date.now() - start) / 1000;
    const due = Math.floor(elapsed) * 600 + Math.min(elapsed % 1, 0.5) * 900 + Math.max(0, (elapsed % 1) - 0.5) * 300;
    while (emitted < due) {
      const [id] = cameras[emitted % cameras.length] as [string, DispatchTier];
      const seq = (seqs.get(id) as number) + 1;
      seqs.set(id, seq);
      const backlog = billingBacklog.get(id);
      if (backlog) backlog.push(seq);
      else plane.submitFrame({ cameraId: id, seq, image: frames[seq % frames.length] as Buffer });
      emitted += 1;
    }
    for (const [id, backlog] of billingBacklog) {
      while (backlog.length > 0) {
        const seq = backlog[0] as number;
        if (plane.submitFrame({ cameraId: id, seq, image: frames[seq % frames.length] as Buffer }).status !== 'admitted') break;
        backlog.shift();
      }
    }
    await sleep(2);
  }
  const settleBy = Date.now() + 10_000;
  while (Date.now() < settleBy && ([...billingBacklog.values()].some((b) => b.length > 0) || plane.health().cameras.some((c) => c.inFlight > 0))) {
    for (const [id, backlog] of billingBacklog) {
      while (backlog.length > 0 && plane.submitFrame({ cameraId: id, seq: backlog[0] as number, image: frames[0] as Buffer }).status === 'admitted') backlog.shift();
    }
    await sleep(20);
  }
  const health = plane.health();
  const byTier = new Map<DispatchTier, { admitted: number; dropped: number }>();
  for (const c of health.cameras) {
    const agg = byTier.get(c.tier) ?? { admitted: 0, dropped: 0 };
    agg.admitted += c.admitted;
    agg.dropped += c.dropped;
    byTier.set(c.tier, agg);
  }
  const violations = plane.accountingViolations().length;
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await plane.stop();
  await redis.kill();
  return { emitted, seconds, e2e, all, byTier, violations, breaker: health.breakerState, dropsByReason: health.cameras.flatMap((c) => c.dropsByReason.map((d) => `${c.cameraId}:${d.reason}=${d.count}`)) };
}

async function main(): Promise<void> {
  const simSeconds = Number(process.env.BENCH_INPROCESS_SECONDS ?? 60);
  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  const pairs: string[] = [];

  const a = inProcess(simSeconds);
  console.log(`(a) in-process: 1000 cameras x 30 fps, ${simSeconds} s simulated, ${a.frames} frames, ${a.delivered} delivered`);
  console.log(`    per-frame cost median ${fmt(a.medianUs)} us, p99 ${fmt(a.p99Us)} us (per 100 ms chunk); heap ${fmt(a.heapStart, 1)} -> ${fmt(a.heapEnd, 1)} MiB; accounting violations ${a.violations}`);
  pairs.push(`inproc_median_us=${fmt(a.medianUs)}`, `inproc_p99_us=${fmt(a.p99Us)}`, `inproc_heap_start_mib=${fmt(a.heapStart, 1)}`, `inproc_heap_end_mib=${fmt(a.heapEnd, 1)}`, `inproc_frames=${a.frames}`);

  if (process.env.BENCH_SKIP_E2E !== '1') {
    const b = await endToEnd(seconds);
    console.log(`(b) Redis + BullMQ + 2 workers: 8 cameras, ${b.emitted} frames in ${b.seconds} s (${fmt(b.emitted / b.seconds, 0)}/s, bursting 900/300), breaker ${b.breaker}, violations ${b.violations}`);
    console.log(`    end-to-end all tiers p50 ${fmt(all50(b.all))} ms p99 ${fmt(b.all.quantile(0.99))} ms`);
    for (const [tier, agg] of b.byTier) {
      const sketch = b.e2e.get(tier) as QuantileSketch;
      const rate = agg.admitted > 0 ? (100 * agg.dropped) / agg.admitted : 0;
      console.log(`    ${tier.padEnd(11)} admitted ${agg.admitted} dropped ${agg.dropped} (${fmt(rate, 3)}%) e2e p50 ${fmt(sketch.quantile(0.5))} ms p99 ${fmt(sketch.quantile(0.99))} ms`);
      pairs.push(`${tier}_p50_ms=${fmt(sketch.quantile(0.5))}`, `${tier}_p99_ms=${fmt(sketch.quantile(0.99))}`, `${tier}_drop_pct=${fmt(rate, 3)}`);
    }
    if (b.dropsByReason.length > 0) console.log(`    drops: ${b.dropsByReason.join(' ')}`);
    pairs.push(`e2e_p50_ms=${fmt(all50(b.all))}`, `e2e_p99_ms=${fmt(b.all.quantile(0.99))}`, `e2e_fps=${fmt(b.emitted / b.seconds, 0)}`, `violations=${b.violations + a.violations}`);
  }
  console.log(pairs.join(' '));
  process.exit(0);
}

const all50 = (s: QuantileSketch): number => s.quantile(0.5);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
