import { fromFrameResultMessage, type FrameResult, type FrameResultWire, type TrackResult } from './frame-result';
import { FrameTimeline, interpolateTracks } from './frame-timeline';
import { edgesFor, trackColour } from './skeleton';

function track(trackId: string, x: number, overrides: Partial<TrackResult> = {}): TrackResult {
  return {
    trackId,
    box: { x, y: 10, width: 50, height: 100 },
    keypoints: Array.from({ length: 17 }, (_, i) => ({ x: x + i, y: 20 + i, score: 0.9 })),
    quality: 0.8,
    ...overrides,
  };
}

function frame(seq: number, tracks: TrackResult[]): FrameResult {
  return { cameraId: 'cam', seq, captureTs: 1000 + seq, width: 640, height: 480, tracks, preview: null, provenance: null };
}

describe('interpolateTracks', () => {
  it.each([
    { alpha: 0, expectedX: 100 },
    { alpha: 0.25, expectedX: 125 },
    { alpha: 0.5, expectedX: 150 },
    { alpha: 1, expectedX: 200 },
  ])('moves a matched track to x=$expectedX at alpha $alpha', ({ alpha, expectedX }) => {
    const [blended] = interpolateTracks([track('1', 100)], [track('1', 200)], alpha);
    expect(blended?.box.x).toBeCloseTo(expectedX);
    expect(blended?.keypoints[5]?.x).toBeCloseTo(expectedX + 5);
  });

  it('shows new tracks where they are and drops tracks that left', () => {
    const blended = interpolateTracks([track('1', 100), track('gone', 0)], [track('1', 200), track('new', 300)], 0.5);
    expect(blended.map((t) => [t.trackId, t.box.x])).toEqual([['1', 150], ['new', 300]]);
  });

  it('does not interpolate a keypoint that was a guess in either result', () => {
    const low = track('1', 100, { keypoints: [{ x: 0, y: 0, score: 0.1 }] });
    const [blended] = interpolateTracks([low], [track('1', 200, { keypoints: [{ x: 50, y: 50, score: 0.9 }] })], 0.5);
    expect(blended?.keypoints[0]).toEqual({ x: 50, y: 50, score: 0.9 });
  });
});

describe('FrameTimeline', () => {
  it.each([
    { now: 1100, alpha: 0 },
    { now: 1150, alpha: 0.5 },
    { now: 1200, alpha: 1 },
    { now: 5000, alpha: 1 },
  ])('plays the step between the two latest results over their interval (now=$now → alpha $alpha)', ({ now, alpha }) => {
    const timeline = new FrameTimeline();
    timeline.push(frame(1, [track('1', 0)]), 1000);
    timeline.push(frame(2, [track('1', 100)]), 1100);
    const sample = timeline.sample(now);
    expect(sample?.alpha).toBeCloseTo(alpha);
    expect(sample?.tracks[0]?.box.x).toBeCloseTo(alpha * 100);
  });

  it('ignores repeated and older sequences', () => {
    const timeline = new FrameTimeline();
    expect(timeline.push(frame(5, []), 0)).toBe(true);
    expect(timeline.push(frame(5, []), 10)).toBe(false);
    expect(timeline.push(frame(3, []), 20)).toBe(false);
    expect(timeline.resultsReceived).toBe(1);
  });

  it.each([
    { gapMs: 500, alpha: 0 },
    { gapMs: 1500, alpha: 1 },
  ])('after a gap of $gapMs ms the step starts at alpha $alpha (long gaps snap)', ({ gapMs, alpha }) => {
    const timeline = new FrameTimeline({ staleAfterMs: 2000, maxIntervalMs: 1000 });
    timeline.push(frame(1, [track('1', 0)]), 0);
    timeline.push(frame(2, [track('1', 100)]), gapMs);
    expect(timeline.sample(gapMs)?.alpha).toBe(alpha);
  });

  it.each([
    { sinceLatestMs: 0, stale: false },
    { sinceLatestMs: 2000, stale: false },
    { sinceLatestMs: 2001, stale: true },
  ])('is stale=$stale $sinceLatestMs ms after the latest result', ({ sinceLatestMs, stale }) => {
    const timeline = new FrameTimeline({ staleAfterMs: 2000 });
    timeline.push(frame(1, []), 100);
    expect(timeline.sample(100 + sinceLatestMs)?.stale).toBe(stale);
  });

  it('samples nothing before the first result', () => {
    expect(new FrameTimeline().sample(0)).toBeNull();
  });
});

describe('fromFrameResultMessage', () => {
  const wire = (box: FrameResultWire['tracks'][number]['box'], extra: Partial<FrameResultWire> = {}): FrameResultWire => ({
    cameraId: 'cam', seq: 1, captureTs: '1700000000000', width: 200, height: 100, preview: null,
    tracks: [{ trackId: 7, box, keypoints: [{ x: 0.5, y: 0.5, score: 1 }], quality: null }],
    ...extra,
  });

  it.each([
    { name: 'normalized boxes are scaled to pixels', box: { x: 0.1, y: 0.2, width: 0.5, height: 0.5 }, expected: { x: 20, y: 20, width: 100, height: 50 } },
    { name: 'pixel boxes are kept', box: { x: 10, y: 20, width: 50, height: 50 }, expected: { x: 10, y: 20, width: 50, height: 50 } },
  ])('$name', ({ box, expected }) => {
    expect(fromFrameResultMessage(wire(box)).tracks[0]?.box).toEqual(expected);
  });

  it.each([
    { captureTs: '1700000000000', expected: 1700000000000 },
    { captureTs: 1700000000001, expected: 1700000000001 },
    { captureTs: '2023-11-14T22:13:20.000Z', expected: 1700000000000 },
  ])('reads captureTs $captureTs', ({ captureTs, expected }) => {
    expect(fromFrameResultMessage(wire({ x: 1, y: 1, width: 2, height: 2 }, { captureTs })).captureTs).toBe(expected);
  });

  it('uses the default frame size when none is sent, and string track ids', () => {
    const result = fromFrameResultMessage(wire({ x: 1, y: 1, width: 2, height: 2 }, { width: null, height: null }));
    expect([result.width, result.height, result.tracks[0]?.trackId]).toEqual([640, 480, '7']);
  });
});

describe('skeleton', () => {
  it.each([
    { count: 17, edges: 16 },
    { count: 33, edges: 16 },
    { count: 5, edges: 4 },
    { count: 0, edges: 0 },
  ])('$count keypoints → $edges bones', ({ count, edges }) => {
    const bones = edgesFor(count);
    expect(bones).toHaveLength(edges);
    for (const [a, b] of bones) expect(Math.max(a, b)).toBeLessThan(Math.max(count, 1));
  });

  it('gives consecutive track ids distinct, stable colours', () => {
    const colours = ['1', '2', '3', '4', '5'].map(trackColour);
    expect(new Set(colours).size).toBe(5);
    expect(trackColour('abc')).toBe(trackColour('abc'));
  });
});
