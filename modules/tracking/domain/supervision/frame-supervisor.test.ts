import type { DropReason } from '@trinetra/shared';
import type { DispatchTier } from './camera-tier';
import { makeSupervisor } from './supervision.fixtures';

type Harness = ReturnType<typeof makeSupervisor>;

const dropsOf = (h: Harness, cameraId = 'cam') => Object.fromEntries(h.supervisor.counters(cameraId).dropsByReason.map((d) => [d.reason, d.count]));

describe('FrameSupervisor', () => {
  let h: Harness;
  afterEach(() => {
    // The accounting invariant holds after every scenario.
    expect(h.supervisor.accountingViolations()).toEqual([]);
  });

  it.each([{ order: [5, 3, 1, 2, 4] }, { order: [1, 2, 3, 4, 5] }, { order: [5, 4, 3, 2, 1] }, { order: [2, 1, 4, 3, 5] }])(
    'delivers in sequence order whatever order results arrive in: $order',
    ({ order }) => {
      h = makeSupervisor();
      [1, 2, 3, 4, 5].forEach((s) => h.submit('cam', s));
      const batch = h.take();
      const bySeq = new Map(batch.map((f) => [f.seq, f]));
      const seenAfterEach: number[][] = [];
      for (const seq of order) {
        expect(h.answer(bySeq.get(seq)!)).toBe('merged');
        seenAfterEach.push(h.deliveredSeqs());
      }
      expect(h.deliveredSeqs()).toEqual([1, 2, 3, 4, 5]);
      for (const seen of seenAfterEach) expect(seen).toEqual([...seen].sort((a, b) => a - b));
    },
  );

  it('an in-flight frame past deadline + grace is dropped as deadline_missed and releases its successors', () => {
    h = makeSupervisor({ inFlightGraceMs: 50, tiers: { CRITICAL: { ttlMs: 200 } } });
    [1, 2, 3].forEach((s) => h.submit('cam', s));
    const [, f2, f3] = h.take();
    h.answer(f2!);
    h.answer(f3!);
    h.clock.advance(249);
    h.supervisor.sweep();
    expect(h.deliveredSeqs()).toEqual([]);
    h.clock.advance(1);
    h.supervisor.sweep();
    expect(h.deliveredSeqs()).toEqual([2, 3]);
    expect(dropsOf(h)).toEqual({ deadline_missed: 1 });
    expect(h.supervisor.events({ kinds: ['deadline_missed'] })).toHaveLength(1);
  });

  it('a waiting frame past its deadline is dropped as ttl_expired', () => {
    h = makeSupervisor({ tiers: { CRITICAL: { ttlMs: 100 } } });
    h.submit('cam', 1);
    h.clock.advance(100);
    expect(h.supervisor.sweep()).toBe(Infinity);
    expect(dropsOf(h)).toEqual({ ttl_expired: 1 });
  });

  it('late and duplicate results become orphaned_result events and are delivered once', () => {
    h = makeSupervisor({ inFlightGraceMs: 0, tiers: { CRITICAL: { ttlMs: 100 } } });
    h.submit('cam', 1);
    h.submit('cam', 2);
    const [f1, f2] = h.take();
    expect(h.answer(f1!)).toBe('merged');
    expect(h.answer(f1!)).toBe('orphaned');
    h.clock.advance(100);
    h.supervisor.sweep();
    expect(h.answer(f2!)).toBe('orphaned');
    expect(h.deliveredSeqs()).toEqual([1]);
    expect(h.supervisor.counters('cam')).toMatchObject({ orphanedResults: 2, delivered: 1, dropped: 1 });
    expect(h.supervisor.events({ kinds: ['orphaned_result'] }).map((e) => e.seq)).toEqual([1, 2]);
  });

  it.each<{ tier: DispatchTier; frames: number; expected: Partial<Record<DropReason, number>>; admittedFrames: number }>([
    { tier: 'CRITICAL', frames: 10, expected: { buffer_full: 6 }, admittedFrames: 10 },
    { tier: 'STANDARD', frames: 10, expected: { sampled_out: 5, buffer_full: 1 }, admittedFrames: 10 },
    { tier: 'BEST_EFFORT', frames: 10, expected: { buffer_full: 6 }, admittedFrames: 10 },
    { tier: 'LIVE', frames: 10, expected: { superseded: 9 }, admittedFrames: 10 },
    { tier: 'BILLING', frames: 10, expected: {}, admittedFrames: 4 },
  ])('$tier under a burst of $frames frames with capacity 4 and no dispatch', ({ tier, frames, expected, admittedFrames }) => {
    h = makeSupervisor({ tiers: { [tier]: { capacity: 4 } } }, [['cam', tier]]);
    const outcomes = Array.from({ length: frames }, (_, i) => h.submit('cam', i + 1).status);
    expect(dropsOf(h)).toEqual(expected);
    expect(h.supervisor.counters('cam').admitted).toBe(admittedFrames);
    if (tier === 'BILLING') expect(outcomes.filter((o) => o === 'backpressure')).toHaveLength(6);
  });

  it('live: latest wins, one frame waits and the newest is dispatched', () => {
    h = makeSupervisor({}, [['cam', 'LIVE']]);
    [1, 2, 3].forEach((s) => h.submit('cam', s));
    const batch = h.take();
    expect(batch.map((f) => f.seq)).toEqual([3]);
    h.submit('cam', 4);
    h.submit('cam', 5);
    h.answer(batch[0]!);
    expect(h.deliveredSeqs()).toEqual([3]);
    expect(h.take().map((f) => f.seq)).toEqual([5]);
    expect(dropsOf(h)).toEqual({ superseded: 3 });
  });

  it('critical samples only while the pool is saturated', () => {
    h = makeSupervisor({ maxInFlightFrames: 4, reservedBillingSlots: 1 });
    [1, 2, 3].forEach((s) => h.submit('cam', s));
    expect(h.take()).toHaveLength(3);
    [4, 5, 6, 7].forEach((s) => h.submit('cam', s));
    expect(dropsOf(h)).toEqual({ sampled_out: 2 });
  });

  it('standard samples by motion when the scene is static', () => {
    h = makeSupervisor({ tiers: { STANDARD: { capacity: 100, sampling: { kind: 'by_fill', steps: [], staticBelow: 0.1, staticOneIn: 3 } } } }, [
      ['cam', 'STANDARD'],
    ]);
    for (let s = 1; s <= 9; s += 1) h.submit('cam', s, 0.01);
    for (let s = 10; s <= 12; s += 1) h.submit('cam', s, 0.5);
    expect(dropsOf(h)).toEqual({ sampled_out: 6 });
  });

  it('billing never drops under overload: backpressure, reserved slots, redispatch after the lease, breaker ignored', () => {
    h = makeSupervisor({ maxInFlightFrames: 4, reservedBillingSlots: 2, billingLeaseMs: 500, breaker: { failureThreshold: 1 } }, [
      ['bill', 'BILLING'],
      ['std', 'CRITICAL'],
    ]);
    for (let s = 1; s <= 10; s += 1) h.submit('std', s);
    h.take();
    for (let s = 1; s <= 3; s += 1) expect(h.submit('bill', s).status).toBe('admitted');
    const first = h.take();
    expect(first.map((f) => f.cameraId)).toEqual(['bill', 'bill']);
    h.supervisor.failBatch(first, 'worker crashed');
    expect(h.supervisor.breaker.state).toBe('tripped');
    expect(h.submit('bill', 4).status).toBe('admitted');
    h.clock.advance(5000);
    h.supervisor.sweep();
    for (let i = 0; i < 20; i += 1) {
      const batch = h.take();
      batch.filter((f) => f.cameraId === 'bill').forEach((f) => h.answer(f));
      h.clock.advance(600);
      h.supervisor.sweep();
    }
    expect(h.deliveredSeqs('bill')).toEqual([1, 2, 3, 4]);
    expect(dropsOf(h, 'bill')).toEqual({});
  });

  it('breaker: trips on missed deadlines, refuses with breaker_open, probes, recovers', () => {
    h = makeSupervisor({
      inFlightGraceMs: 0,
      tiers: { CRITICAL: { ttlMs: 100 } },
      breaker: { deadlineMissThreshold: 2, cooldownMs: 1000, probeFrames: 2, probeSuccesses: 2 },
    });
    h.submit('cam', 1);
    h.submit('cam', 2);
    h.take();
    h.submit('cam', 3);
    h.clock.advance(100);
    h.supervisor.sweep();
    expect(h.supervisor.breaker.state).toBe('tripped');
    expect(h.submit('cam', 4)).toEqual({ status: 'dropped', reason: 'breaker_open' });
    expect(h.take()).toEqual([]);
    h.clock.advance(1000);
    expect(h.supervisor.health().breakerState).toBe('recovering');
    [5, 6, 7].forEach((s) => h.submit('cam', s));
    const probes = h.take();
    expect(probes.map((f) => f.seq)).toEqual([5, 6]);
    probes.forEach((f) => h.answer(f));
    expect(h.supervisor.breaker.state).toBe('healthy');
    expect(h.supervisor.events({ kinds: ['breaker_transition'] }).map((e) => e.breakerTo)).toEqual(['tripped', 'recovering', 'healthy']);
    expect(dropsOf(h)).toEqual({ deadline_missed: 2, breaker_open: 3 });
  });

  it.each([
    { name: 'repeated seq', seqs: [1, 2, 2], expected: { out_of_order: 1 } },
    { name: 'seq going back', seqs: [5, 3], expected: { out_of_order: 1 } },
    { name: 'gaps are fine', seqs: [1, 5, 9], expected: {} },
  ])('ordering at entry: $name', ({ seqs, expected }) => {
    h = makeSupervisor();
    seqs.forEach((s) => h.submit('cam', s));
    expect(dropsOf(h)).toEqual(expected);
  });

  it('a failed batch is retried until its deadline', () => {
    h = makeSupervisor({ breaker: { failureThreshold: 5 } });
    h.submit('cam', 1);
    h.supervisor.failBatch(h.take(), 'boom');
    const retry = h.take();
    expect(retry.map((f) => f.seq)).toEqual([1]);
    h.answer(retry[0]!);
    expect(h.deliveredSeqs()).toEqual([1]);
  });

  it('removing a camera drops what it holds as source_failed', () => {
    h = makeSupervisor({}, [
      ['cam', 'CRITICAL'],
      ['other', 'CRITICAL'],
    ]);
    [1, 2].forEach((s) => h.submit('cam', s));
    h.take();
    const before = h.supervisor.counters('cam');
    h.supervisor.removeCamera('cam');
    expect(before.inFlight).toBe(2);
    expect(h.supervisor.dispatchedFrames).toBe(0);
  });

  it('health reports counters, fill, rates and latency quantiles', () => {
    h = makeSupervisor();
    for (let s = 1; s <= 20; s += 1) {
      h.submit('cam', s);
      h.clock.advance(10);
      h.take().forEach((f) => h.answer(f, 3));
      h.clock.advance(40);
    }
    h.clock.advance(1000);
    const health = h.supervisor.health();
    const cam = health.cameras[0]!;
    expect(cam).toMatchObject({ cameraId: 'cam', admitted: 20, delivered: 20, inFlight: 0, dropped: 0, bufferFill: 0 });
    expect(cam.fpsIn).toBeGreaterThan(0);
    const e2e = cam.latency.find((l) => l.stage === 'end_to_end')!;
    expect(e2e.p50).toBeCloseTo(10, 0);
    expect(e2e.count).toBe(20);
  });
});
