import { CameraGraph } from './camera-graph';
import { DriftMonitor } from './drift-monitor';
import { FlickerCounter } from './flicker-counter';
import { emaUpdate } from './gallery-ema';
import { cameraThresholds, FACERES_THRESHOLDS, fBetaThreshold } from './matching-policy';
import { SightingPolicy } from './sighting-policy';
import { VisitRegistry } from './visit-registry';

/** A manual clock: sightings carry their own time, tests move it by hand. */
class ManualClock {
  constructor(public ms = 1_000_000) {}
  advance(s: number): number {
    this.ms += s * 1000;
    return this.ms;
  }
}

const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

// Entrance -> hall takes at least 20 s, hall -> exit 30 s; the car park is on no path.
const graph = new CameraGraph([
  { fromCameraId: 'entrance', toCameraId: 'hall', minTransitSeconds: 20 },
  { fromCameraId: 'hall', toCameraId: 'entrance', minTransitSeconds: 20 },
  { fromCameraId: 'hall', toCameraId: 'exit', minTransitSeconds: 30 },
  { fromCameraId: 'carpark', toCameraId: 'carpark-2', minTransitSeconds: 5 },
]);

describe('CameraGraph', () => {
  it('answers the shortest transit over links, 0 for one camera, Infinity without a path', () => {
    expect(graph.minTransitMs('entrance', 'exit')).toBe(50_000);
    expect(graph.minTransitMs('hall', 'hall')).toBe(0);
    expect(graph.minTransitMs('exit', 'entrance')).toBe(Infinity);
    expect(graph.minTransitMs('entrance', 'carpark')).toBe(Infinity);
    expect(graph.places('lobby')).toBe(false);
  });
  it('refuses negative times and self-links', () => {
    expect(() => new CameraGraph([{ fromCameraId: 'a', toCameraId: 'b', minTransitSeconds: -1 }])).toThrow(RangeError);
    expect(() => new CameraGraph([{ fromCameraId: 'a', toCameraId: 'a', minTransitSeconds: 1 }])).toThrow(RangeError);
  });
});

describe('SightingPolicy: spatiotemporal gate', () => {
  it('accepts a name after the minimum transit and rejects one that would need a teleport (TOO_FAST)', () => {
    const clock = new ManualClock();
    const policy = new SightingPolicy(graph);
    expect(policy.observe({ cameraId: 'entrance', trackId: 't1', atMs: clock.ms, personId: 'ann' }).personId).toBe('ann');
    clock.advance(10); // entrance track ended; 10 s later at the hall: 20 s needed
    expect(policy.observe({ cameraId: 'hall', trackId: 't2', atMs: clock.ms, personId: 'ann' })).toMatchObject({ personId: null, rejected: 'TOO_FAST' });
    clock.advance(15); // 25 s after the entrance
    expect(policy.observe({ cameraId: 'hall', trackId: 't3', atMs: clock.ms, personId: 'ann' })).toMatchObject({ personId: 'ann' });
  });

  it('rejects a name where no path joins the cameras (UNREACHABLE) and does not judge unplaced cameras', () => {
    const clock = new ManualClock();
    const policy = new SightingPolicy(graph);
    policy.observe({ cameraId: 'exit', trackId: 't1', atMs: clock.ms, personId: 'bob' });
    clock.advance(600);
    expect(policy.observe({ cameraId: 'entrance', trackId: 't2', atMs: clock.ms, personId: 'bob' })).toMatchObject({ personId: null, rejected: 'UNREACHABLE' });
    clock.advance(600);
    // A camera the tenant never placed in the graph: no judgement, the name stands.
    expect(policy.observe({ cameraId: 'lobby', trackId: 't3', atMs: clock.ms, personId: 'bob' }).personId).toBe('bob');
  });

  it('never names two live tracks on one camera the same person (CONCURRENT)', () => {
    const clock = new ManualClock();
    const policy = new SightingPolicy(graph, { arrivalWindowMs: 1_000 });
    policy.observe({ cameraId: 'hall', trackId: 'a', atMs: clock.ms, personId: 'cat' });
    clock.advance(2);
    policy.observe({ cameraId: 'hall', trackId: 'b', atMs: clock.ms, personId: null });
    clock.advance(1);
    policy.observe({ cameraId: 'hall', trackId: 'a', atMs: clock.ms, personId: 'cat' });
    expect(policy.observe({ cameraId: 'hall', trackId: 'b', atMs: clock.ms, personId: 'cat' })).toMatchObject({ personId: null, rejected: 'CONCURRENT' });
  });
});

describe('SightingPolicy: false-merge detector', () => {
  it('splits one identity seen on two live tracks where the graph says the cameras are apart', () => {
    const clock = new ManualClock();
    const policy = new SightingPolicy(graph);
    expect(policy.observe({ cameraId: 'entrance', trackId: 'e1', atMs: clock.ms, personId: 'dan' }).personId).toBe('dan');
    clock.advance(1);
    const outcome = policy.observe({ cameraId: 'exit', trackId: 'x1', atMs: clock.ms, personId: 'dan' });
    expect(outcome).toMatchObject({ personId: null, falseMerge: { personId: 'dan', trackIds: ['e1', 'x1'] } });
    // The earlier track lost the name too: it is free for the right person to be named again.
    expect(policy.activeIdentities(clock.ms)).toBe(0);
  });

  it('does not call it a merge when the graph allows the move (overlapping views, transit 0)', () => {
    const overlapping = new CameraGraph([{ fromCameraId: 'left', toCameraId: 'right', minTransitSeconds: 0 }]);
    const clock = new ManualClock();
    const policy = new SightingPolicy(overlapping);
    policy.observe({ cameraId: 'left', trackId: 'l', atMs: clock.ms, personId: 'eve' });
    expect(policy.observe({ cameraId: 'right', trackId: 'r', atMs: clock.ms, personId: 'eve' })).toEqual({ personId: 'eve', flicker: false });
  });
});

describe('SightingPolicy: companion rule', () => {
  it('two people arriving together are never merged into one identity', () => {
    const clock = new ManualClock();
    const policy = new SightingPolicy(graph, { arrivalWindowMs: 3_000 });
    // Both arrive at the entrance within a second; then the second face is matched to the first's name.
    policy.observe({ cameraId: 'entrance', trackId: 'p', atMs: clock.ms, personId: 'fay' });
    clock.advance(1);
    const companion = policy.observe({ cameraId: 'entrance', trackId: 'q', atMs: clock.ms, personId: 'fay' });
    expect(companion).toMatchObject({ personId: null, rejected: 'COMPANION' });
    // They keep arriving together: still two people.
    clock.advance(60);
    policy.observe({ cameraId: 'hall', trackId: 'p2', atMs: clock.ms, personId: 'fay' });
    clock.advance(0.5);
    expect(policy.observe({ cameraId: 'hall', trackId: 'q2', atMs: clock.ms, personId: 'fay' }).rejected).toBe('COMPANION');
  });
});

describe('FlickerCounter', () => {
  it('counts a name change, including across an unknown spell, and not a steady name', () => {
    const flicker = new FlickerCounter();
    expect(flicker.observe('t', 'ann')).toBe(false);
    expect(flicker.observe('t', 'ann')).toBe(false);
    expect(flicker.observe('t', null)).toBe(false);
    expect(flicker.observe('t', 'bob')).toBe(true);
    flicker.end('t');
    expect(flicker.observe('t', 'ann')).toBe(false);
  });
});

describe('VisitRegistry: anonymous visit ids', () => {
  let n = 0;
  const registry = (options: Partial<ConstructorParameters<typeof VisitRegistry>[1]> = {}) =>
    new VisitRegistry(graph, { sameVisitor: 0.6, newId: () => `visit-${++n}`, ...options });

  it('keeps one id for the same unknown face across cameras during a visit, and a new one after it', () => {
    const clock = new ManualClock();
    const visits = registry({ visitGapMs: 30 * 60_000 });
    const face = unit(1, 0.1, 0);
    const first = visits.visitOf('entrance', 't1', face, clock.ms);
    clock.advance(25);
    expect(visits.visitOf('hall', 't2', unit(1, 0.12, 0.01), clock.ms)).toBe(first);
    clock.advance(3600); // gone for an hour: a new visit
    expect(visits.visitOf('hall', 't3', face, clock.ms)).not.toBe(first);
  });

  it('a stranger gets another id; a teleport gets another id; two side-by-side people get two ids', () => {
    const clock = new ManualClock();
    const visits = registry();
    const a = visits.visitOf('entrance', 'a', unit(1, 0, 0), clock.ms);
    expect(visits.visitOf('entrance', 'b', unit(0, 1, 0), clock.ms)).not.toBe(a);
    // Same face at the exit 1 s later: 50 s transit needed, so not the same visitor.
    clock.advance(1);
    expect(visits.visitOf('exit', 'c', unit(1, 0, 0), clock.ms)).not.toBe(a);
    // A look-alike beside `a` on the same camera at the same time is someone else.
    expect(visits.visitOf('entrance', 'd', unit(1, 0.01, 0), clock.ms)).not.toBe(a);
  });

  it('a released camera (stopped, track ids reused) gives a new face on an old track id its own visit; the visitor still links elsewhere', () => {
    const clock = new ManualClock();
    const visits = registry();
    const a = visits.visitOf('door', '1', unit(1, 0, 0), clock.ms);
    // Without the release, track 1 of the door stands for `a` whatever face it shows.
    expect(visits.visitOf('door', '1', unit(0, 1, 0), clock.ms)).toBe(a);
    visits.releaseCamera('door');
    clock.advance(10);
    const b = visits.visitOf('door', '1', unit(0, 1, 0), clock.ms);
    expect(b).not.toBe(a);
    clock.advance(120);
    expect(visits.visitOf('till', '7', unit(1, 0.05, 0), clock.ms)).toBe(a);
  });

  it("forgets unknown visitors' vectors after the tenant's retention", () => {
    const clock = new ManualClock();
    const visits = registry({ retentionMs: 24 * 3_600_000 });
    visits.visitOf('entrance', 'a', unit(1, 0, 0), clock.ms);
    clock.advance(23 * 3600);
    visits.expire(clock.ms);
    expect(visits.size).toBe(1);
    clock.advance(3600);
    visits.expire(clock.ms);
    expect(visits.size).toBe(0);
  });
});

describe('DriftMonitor', () => {
  it('alerts when accepted matches on a camera score lower than they used to', () => {
    const clock = new ManualClock(0);
    const drift = new DriftMonitor({ windowMs: 3_600_000, minSamples: 5, drop: 0.05 });
    for (let h = 0; h < 3; h++) {
      for (let i = 0; i < 10; i++) drift.record('door', 0.8, clock.ms + i);
      clock.advance(3600);
    }
    expect(drift.report()).toEqual([expect.objectContaining({ cameraId: 'door', alert: false })]);
    for (let i = 0; i < 10; i++) drift.record('door', 0.7, clock.ms + i);
    const [door] = drift.report();
    expect(door).toMatchObject({ alert: true, recentSamples: 10 });
    expect(door?.baselineMean).toBeCloseTo(0.8);
    expect(door?.recentMean).toBeCloseTo(0.7);
  });
  it('stays quiet on too few samples', () => {
    const drift = new DriftMonitor({ minSamples: 20 });
    drift.record('door', 0.9, 0);
    drift.record('door', 0.1, 3_600_000);
    expect(drift.report()[0]?.alert).toBe(false);
  });
});

describe('gallery EMA', () => {
  const gallery = [unit(1, 0, 0), unit(0, 1, 0)];
  it('moves only the closest embedding, a little, for a high-quality sighting', () => {
    const update = emaUpdate(gallery, unit(1, 0.2, 0), 0.95, { accept: 0.6, review: 0.5 });
    expect(update?.index).toBe(0);
    expect(Math.hypot(...update!.embedding)).toBeCloseTo(1);
    expect(update!.embedding[1]).toBeGreaterThan(0);
    expect(update!.embedding[1]).toBeLessThan(0.05);
  });
  it('ignores low quality and weak matches', () => {
    expect(emaUpdate(gallery, unit(1, 0.2, 0), 0.5, { accept: 0.6, review: 0.5 })).toBeNull();
    expect(emaUpdate(gallery, unit(1, 1, 1), 0.95, { accept: 0.6, review: 0.5 })).toBeNull(); // 0.58 to both < accept 0.6 + margin 0.1
  });
});

describe('matching policy', () => {
  it('chooses the F0.5 threshold: above the impostors, preferring precision', () => {
    const point = fBetaThreshold({ genuine: [0.5, 0.7, 0.8, 0.9], impostor: [0.3, 0.4, 0.55, 0.6] });
    expect(point.threshold).toBe(0.7);
    expect(point.precision).toBe(1);
    expect(point.recall).toBe(0.75);
  });
  it('moves thresholds by the camera offset, clamped to ±0.2', () => {
    const moved = cameraThresholds(FACERES_THRESHOLDS, 0.05);
    expect(moved.accept).toBeCloseTo(FACERES_THRESHOLDS.accept + 0.05, 10);
    expect(moved.review).toBeCloseTo(FACERES_THRESHOLDS.review + 0.05, 10);
    expect(cameraThresholds(FACERES_THRESHOLDS, -1).accept).toBeCloseTo(FACERES_THRESHOLDS.accept - 0.2, 10);
    expect(() => cameraThresholds(FACERES_THRESHOLDS, Number.NaN)).toThrow(RangeError);
  });
});
