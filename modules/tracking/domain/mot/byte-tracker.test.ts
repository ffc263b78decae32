import { ByteTracker, TrackState, type ByteTrackerOptions, type TrackerUpdate } from './byte-tracker';
import { Detections } from './detections';
import { MotError } from './mot.error';

type Box = [number, number, number, number];

/** Detections factory: boxes with scores (default 0.9), optional embeddings. */
const dets = (boxes: Box[], scores?: number[], embeddings?: number[][]): Detections =>
  Detections.create({
    boxes,
    scores: scores ?? boxes.map(() => 0.9),
    ...(embeddings ? { embeddings: embeddings.flat(), embeddingDim: embeddings[0]!.length } : {}),
  });

const idOfDetection = (u: TrackerUpdate, index: number): number | undefined => u.tracks.find((t) => t.detectionIndex === index)?.trackId;

describe('Detections', () => {
  it.each([
    ['boxes and scores disagree', { boxes: [0, 0, 1, 1], scores: [0.5, 0.5] }],
    ['inverted box', { boxes: [5, 0, 1, 1], scores: [0.5] }],
    ['score above 1', { boxes: [0, 0, 1, 1], scores: [1.5] }],
    ['keypoints of the wrong size', { boxes: [0, 0, 1, 1], scores: [0.5], keypoints: [1, 2, 3] }],
  ])('rejects %s with a shape message', (_name, init) => {
    expect(() => Detections.create(init)).toThrow(MotError);
  });
});

describe('ByteTracker', () => {
  const still = (tracker: ByteTracker, boxes: Box[], frames: number, embeddings?: number[][]) => {
    let last: TrackerUpdate | undefined;
    for (let f = 0; f < frames; f++) last = tracker.update(dets(boxes, undefined, embeddings));
    return last!;
  };

  it('confirms a track after minHitsToConfirm frames and keeps its id', () => {
    const tracker = new ByteTracker();
    expect(tracker.update(dets([[0, 0, 10, 20]])).tracks).toEqual([]);
    const second = tracker.update(dets([[1, 0, 11, 20]]));
    expect(second.tracks.map((t) => [t.trackId, t.state])).toEqual([[1, TrackState.Confirmed]]);
    expect(tracker.update(dets([[2, 0, 12, 20]])).tracks[0]!.trackId).toBe(1);
  });

  it('drops a tentative track on its first miss', () => {
    const tracker = new ByteTracker();
    tracker.update(dets([[0, 0, 10, 20]]));
    const u = tracker.update(Detections.empty());
    expect(u.removed).toEqual([1]);
  });

  it.each([[0], [3], [10]])('keeps a lost track for lostTrackBuffer = %i frames, then removes it', (buffer) => {
    const tracker = new ByteTracker({ lostTrackBuffer: buffer });
    still(tracker, [[0, 0, 10, 20]], 3);
    for (let f = 0; f < buffer; f++) {
      const u = tracker.update(Detections.empty());
      expect(u.removed).toEqual([]);
      expect(tracker.listTracks(TrackState.Lost).map((t) => t.trackId)).toEqual([1]);
    }
    expect(tracker.update(Detections.empty()).removed).toEqual([1]);
  });

  it('re-finds a lost track by its predicted box', () => {
    const tracker = new ByteTracker();
    for (let f = 0; f < 5; f++) tracker.update(dets([[10 * f, 0, 10 * f + 20, 40]]));
    tracker.update(Detections.empty());
    tracker.update(Detections.empty());
    const u = tracker.update(dets([[70, 0, 90, 40]]));
    expect(u.tracks.map((t) => t.trackId)).toEqual([1]);
  });

  it('association picks the globally optimal assignment, not the greedy one', () => {
    // 10-px boxes jumping 4-6 px: far outside the motion gate, which this test is not about.
    const tracker = new ByteTracker({ fuseScore: false, motionGateChi2: Infinity });
    still(tracker, [[0, 0, 10, 10], [6, 0, 16, 10]], 3);
    // det 0 overlaps A best (0.67) and B less (0.43); det 1 overlaps only A (0.43). Greedy would
    // give A det 0 and leave B unmatched; the optimum matches both.
    const u = tracker.update(dets([[2, 0, 12, 10], [-4, 0, 6, 10]]));
    expect(idOfDetection(u, 1)).toBe(1);
    expect(idOfDetection(u, 0)).toBe(2);
  });

  it.each<[string, ByteTrackerOptions, boolean]>([
    ['second stage on', {}, true],
    ['second stage off', { lowThreshold: 0.5 }, false],
  ])('a low-score detection extends a confirmed track only with the second stage (%s)', (_name, options, kept) => {
    const tracker = new ByteTracker(options);
    still(tracker, [[0, 0, 10, 20]], 3);
    const u = tracker.update(dets([[0, 0, 10, 20]], [0.3]));
    expect(u.tracks.map((t) => t.trackId)).toEqual(kept ? [1] : []);
    // A low-score detection never starts a track.
    expect(tracker.listTracks().length).toBe(1);
  });

  // Tracks 1 at [0, 10] and 2 at [4, 14] (x); the embeddings of this frame's two detections
  // say the opposite of what IoU says. Clear: IoU 0.82 vs 0.54 for each track (margin 0.28).
  // Ambiguous: IoU 0.67 vs 0.60 for track 1 (margin 0.07).
  const clear: Box[] = [[1, 0, 11, 20], [3, 0, 13, 20]];
  const ambiguous: Box[] = [[2, 0, 12, 20], [2.5, 0, 12.5, 20]];
  it.each<[string, ByteTrackerOptions, Box[], [number, number]]>([
    ['IoU alone, clear overlaps', { appearanceWeight: 0 }, clear, [1, 2]],
    ['gated appearance never overrides a clear motion match', { appearanceWeight: 2 }, clear, [1, 2]],
    ['ungated appearance overrides it (cueAmbiguityMargin < 0)', { appearanceWeight: 2, cueAmbiguityMargin: -1 }, clear, [2, 1]],
    ['IoU alone, ambiguous overlaps', { appearanceWeight: 0 }, ambiguous, [1, 2]],
    ['gated appearance decides ambiguous overlaps', { appearanceWeight: 2 }, ambiguous, [2, 1]],
  ])('appearance cue: %s', (_name, options, boxes, expected) => {
    const tracker = new ByteTracker({ fuseScore: false, motionGateChi2: Infinity, ...options });
    still(tracker, [[0, 0, 10, 20], [4, 0, 14, 20]], 3, [[1, 0], [0, 1]]);
    const u = tracker.update(dets(boxes, undefined, [[0, 1], [1, 0]]));
    expect([idOfDetection(u, 0), idOfDetection(u, 1)]).toEqual(expected);
  });

  it.each<[string, ByteTrackerOptions, Box[], [number, number]]>([
    ['gated OKS never overrides a clear motion match', { oksWeight: 2 }, clear, [1, 2]],
    ['gated OKS decides ambiguous overlaps', { oksWeight: 2 }, ambiguous, [2, 1]],
  ])('pose cue: %s', (_name, options, boxes, expected) => {
    // Every keypoint of a pose sits at one offset from its box's corner: pose P at (2, 4), pose Q
    // at (8, 16). Track 1 walks with P, track 2 with Q; this frame the detections swap poses.
    const pose = (box: Box, [ox, oy]: [number, number]) => Array.from({ length: 17 }, () => [box[0] + ox, box[1] + oy, 0.9]).flat();
    const P: [number, number] = [2, 4];
    const Q: [number, number] = [8, 16];
    const tracker = new ByteTracker({ fuseScore: false, motionGateChi2: Infinity, ...options });
    const start: Box[] = [[0, 0, 10, 20], [4, 0, 14, 20]];
    for (let f = 0; f < 3; f++) tracker.update(Detections.create({ boxes: start, scores: [0.9, 0.9], keypoints: [...pose(start[0]!, P), ...pose(start[1]!, Q)] }));
    const u = tracker.update(Detections.create({ boxes, scores: [0.9, 0.9], keypoints: [...pose(boxes[0]!, Q), ...pose(boxes[1]!, P)] }));
    expect([idOfDetection(u, 0), idOfDetection(u, 1)]).toEqual(expected);
  });

  it.each<[string, ByteTrackerOptions]>([
    ['defaults', {}],
    ['with ORU, OCM and OCR (observations and the observed state travel too)', { observationCentricReupdate: true, directionConsistencyWeight: 0.2, lastObservationRecovery: true }],
  ])('snapshot round trip continues with identical ids and boxes (%s)', (_name, options) => {
    const a = new ByteTracker(options);
    const frames = Array.from({ length: 30 }, (_, f) =>
      dets(f >= 10 && f < 14 ? [[200 - 4 * f, 10, 230 - 4 * f, 70]] : [[5 * f, 0, 5 * f + 30, 60], [200 - 4 * f, 10, 230 - 4 * f, 70]], f >= 10 && f < 14 ? [0.8] : [0.9, f % 4 === 0 ? 0.3 : 0.8]),
    );
    frames.slice(0, 12).forEach((d) => a.update(d));
    const snapshot = JSON.parse(JSON.stringify(a.toSnapshot()));
    expect(snapshot.version).toBe(2);
    const b = ByteTracker.fromSnapshot(snapshot, options);
    for (const d of frames.slice(12)) expect(b.update(d)).toEqual(a.update(d));
  });

  it('restores a version 1 checkpoint (no observations) and keeps its ids', () => {
    const a = new ByteTracker();
    for (let f = 0; f < 10; f++) a.update(dets([[5 * f, 0, 5 * f + 30, 60]]));
    const v2 = a.toSnapshot();
    // What a server before snapshot version 2 wrote to Redis.
    const v1 = {
      version: 1,
      frame: v2.frame,
      nextId: v2.nextId,
      tracks: v2.tracks.map(({ observations: _o, observedMean: _m, observedCov: _c, ...rest }) => rest),
    };
    const b = ByteTracker.fromSnapshot(JSON.parse(JSON.stringify(v1)), { observationCentricReupdate: true, lastObservationRecovery: true, directionConsistencyWeight: 0.2 });
    expect(b.update(dets([[50, 0, 80, 60]])).tracks.map((t) => t.trackId)).toEqual([1]);
    expect(b.toSnapshot().version).toBe(2);
  });

  it('snapshot round trip continues with identical ids and boxes (two walkers)', () => {
    const a = new ByteTracker();
    const frames = Array.from({ length: 20 }, (_, f) =>
      dets([[5 * f, 0, 5 * f + 30, 60], [200 - 4 * f, 10, 230 - 4 * f, 70]], [0.9, f % 4 === 0 ? 0.3 : 0.8]),
    );
    frames.slice(0, 10).forEach((d) => a.update(d));
    const b = ByteTracker.fromSnapshot(JSON.parse(JSON.stringify(a.toSnapshot())));
    for (const d of frames.slice(10)) expect(b.update(d)).toEqual(a.update(d));
  });

  it.each([
    ['not an object', 42],
    ['unknown version', { version: 3, frame: 0, nextId: 1, tracks: [] }],
    ['observations of the wrong shape', { version: 2, frame: 0, nextId: 2, tracks: [{ id: 1, state: 'lost', mean: [0, 0, 1, 1, 0, 0, 0, 0], cov: Array(12).fill(1), score: 1, hits: 1, startFrame: 1, lastFrame: 1, lastCx: 0, lastCy: 0, observations: [[1, 2]] }] }],
    ['short mean', { version: 1, frame: 0, nextId: 1, tracks: [{ id: 1, state: 'lost', mean: [1], cov: [], score: 1, hits: 1, startFrame: 1, lastFrame: 1, lastCx: 0, lastCy: 0 }] }],
  ])('fromSnapshot rejects %s', (_name, snapshot) => {
    expect(() => ByteTracker.fromSnapshot(snapshot)).toThrow(MotError);
  });

  it('rejects inconsistent options', () => {
    expect(() => new ByteTracker({ lowThreshold: 0.7, highThreshold: 0.5 })).toThrow(MotError);
  });
});
