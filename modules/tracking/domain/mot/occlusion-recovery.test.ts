import { ByteTracker, BYTETRACK_BASELINE_OPTIONS, type ByteTrackerOptions } from './byte-tracker';
import { Detections } from './detections';

/** Where a person is in frame f (box centre and size), or null when hidden / not detected. */
type Path = (f: number) => { cx: number; cy: number; w: number; h: number } | null;

const hiddenDuring = (from: number, to: number) => (f: number) => f >= from && f <= to;

/** A person walking with `vx(f)` px/frame (positions accumulated from frame 1), hidden when `hidden(f)`. */
function walker(x0: number, y: number, vx: (f: number) => number, hidden: (f: number) => boolean, size = { w: 40, h: 100 }): Path {
  const xs = [x0];
  for (let f = 1; f <= 200; f++) xs.push(xs[f - 1]! + vx(f));
  return (f) => (hidden(f) ? null : { cx: xs[f - 1]!, cy: y, ...size });
}

/** Runs a tracker over the paths (every detection scores 0.9); for each person, the ids its detections got. */
function idsPerPerson(paths: Path[], frames: number, options: ByteTrackerOptions): number[][] {
  const tracker = new ByteTracker(options);
  const ids = paths.map(() => new Set<number>());
  for (let f = 1; f <= frames; f++) {
    const present = paths.flatMap((p, person) => {
      const b = p(f);
      return b ? [{ person, box: [b.cx - b.w / 2, b.cy - b.h / 2, b.cx + b.w / 2, b.cy + b.h / 2] as [number, number, number, number] }] : [];
    });
    const update = tracker.update(Detections.create({ boxes: present.map((d) => d.box), scores: present.map(() => 0.9) }));
    for (const t of update.tracks) if (t.detectionIndex >= 0) ids[present[t.detectionIndex]!.person]!.add(t.trackId);
  }
  return ids.map((s) => [...s]);
}

const RULES_OFF: ByteTrackerOptions = { observationCentricReupdate: false, directionConsistencyWeight: 0, lastObservationRecovery: false };

const configurations: Array<[string, ByteTrackerOptions]> = [
  ['defaults', {}],
  ['previous tracker (baseline options)', BYTETRACK_BASELINE_OPTIONS],
  ['ORU on', { observationCentricReupdate: true }],
  ['OCM on', { directionConsistencyWeight: 0.2 }],
  ['OCR on', { lastObservationRecovery: true }],
  ['all three on', { observationCentricReupdate: true, directionConsistencyWeight: 0.2, lastObservationRecovery: true }],
];

describe('two people swap sides behind an occluder for 10 frames', () => {
  // A walks right, B left, 5 px/frame; both hidden during frames 25-34, when they cross.
  const occluded = hiddenDuring(25, 34);
  const a = walker(105, 200, () => 5, occluded);
  const b = walker(395, 205, () => -5, occluded, { w: 42, h: 104 });

  it.each(configurations)('keeps both ids (%s)', (_name, options) => {
    const [idsA, idsB] = idsPerPerson([a, b], 60, options);
    expect(idsA).toHaveLength(1);
    expect(idsB).toHaveLength(1);
    expect(idsA![0]).not.toBe(idsB![0]);
  });
});

describe('each recovery rule on the case it exists for (ids per person: 1 = kept)', () => {
  it.each<[string, boolean, number]>([
    ['without OCR the drifting prediction misses her: new id', false, 2],
    ['with OCR her last observed box finds her again', true, 1],
  ])('OCR: a walker stops behind a pillar for 10 frames (%s)', (_name, on, expected) => {
    const stopper = walker(104, 200, (f) => (f < 20 ? 4 : 0), hiddenDuring(21, 30));
    expect(idsPerPerson([stopper], 50, { ...RULES_OFF, lastObservationRecovery: on })[0]).toHaveLength(expected);
  });

  it.each<[string, (f: number) => number, [number, number], boolean, number]>([
    ['speeds up from 3 to 8 px/frame behind a pillar, is seen 2 frames, hidden 8 more', (f) => (f <= 20 ? 3 : 8), [5, 2], false, 2],
    ['same, with ORU', (f) => (f <= 20 ? 3 : 8), [5, 2], true, 1],
    ['turns back behind a pillar, is seen 3 frames, hidden 12 more', (f) => (f <= 20 ? 3 : -1), [5, 3], false, 2],
    ['same, with ORU', (f) => (f <= 20 ? 3 : -1), [5, 3], true, 1],
  ])('ORU: a walker %s', (_name, vx, [gap1, seen], on, expected) => {
    const gap2 = vx(30) === 8 ? 8 : 12;
    const hidden = (f: number) => hiddenDuring(21, 20 + gap1)(f) || hiddenDuring(21 + gap1 + seen, 20 + gap1 + seen + gap2)(f);
    expect(idsPerPerson([walker(100, 200, vx, hidden)], 60, { ...RULES_OFF, observationCentricReupdate: on })[0]).toHaveLength(expected);
  });

  it.each<[string, number, number]>([
    ['without OCM, their young tracks (3 frames, velocity not yet learned) swap', 0, 2],
    ['with OCM, the observed directions keep them', 0.2, 1],
  ])('OCM: two people 20 px apart vertically cross while both undetected for 3 frames (%s)', (_name, weight, expected) => {
    const missed = hiddenDuring(4, 6);
    const meet = 5.5;
    const c: Path = (f) => (missed(f) ? null : { cx: 300 + 6 * (f - meet), cy: 200, w: 40, h: 100 });
    const d: Path = (f) => (missed(f) ? null : { cx: 300 - 6 * (f - meet), cy: 220, w: 40, h: 100 });
    const ids = idsPerPerson([c, d], 25, { ...RULES_OFF, directionConsistencyWeight: weight });
    expect(ids.map((s) => s.length)).toEqual([expected, expected]);
  });
});

describe('motion gate and height-aware filter', () => {
  it.each<[string, ByteTrackerOptions, number]>([
    ['previous tracker: the small track jumps onto the big box that contains it', BYTETRACK_BASELINE_OPTIONS, 2],
    ['defaults: the gate refuses a box twice the height, the small person keeps her id', {}, 1],
  ])('a tall person appears over a short one whose detection is missed (%s)', (_name, options, expected) => {
    // The short person stands still at x 500-536 (h 122); a tall one (h 237), just emerged,
    // is first detected at frame 10, over her (IoU 0.29), while her detection is missing for frames 10-12.
    const short: Path = (f) => (f >= 10 && f <= 12 ? null : { cx: 518, cy: 172, w: 36, h: 122 });
    const tall: Path = (f) => (f < 10 ? null : { cx: 505 + 0.5 * (f - 10), cy: 208, w: 65, h: 237 });
    const [idsShort, idsTall] = idsPerPerson([short, tall], 20, options);
    expect(idsShort).toHaveLength(expected);
    expect(idsTall!.some((id) => idsShort!.includes(id))).toBe(expected === 2);
  });
});
