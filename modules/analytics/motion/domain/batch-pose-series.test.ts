import { poseSeriesFromBatchLines } from './batch-pose-series';
import { MotionError, MotionErrorCode } from './motion.error';

const kps = (y: number) => Array.from({ length: 17 }, (_, i) => ({ x: i, y, score: 0.9 }));
const track = (trackId: number, y: number) => ({ trackId, box: { x: 0, y: 0, width: 1, height: 1 }, score: 0.9, keypoints: kps(y), quality: 1 });

describe('poseSeriesFromBatchLines', () => {
  const lines = [
    { type: 'header', source: 'a.mp4', fps: 30, width: 640, height: 480 },
    { type: 'frame', seq: 0, ptsMs: 0, tracks: [track(1, 10), track(2, 20)] },
    { type: 'frame', seq: 1, ptsMs: 33, dropped: 'decode_failed' },
    { type: 'frame', seq: 3, ptsMs: 100, tracks: [track(1, 13)] },
    { type: 'frame', seq: 2, ptsMs: 66, tracks: [track(1, 12), { ...track(2, 22), keypoints: [] }] },
    { type: 'track', trackId: 1, frames: 3 },
  ];

  it('places frames by seq, turns dropped frames into gaps, follows the largest person per frame under their most frequent id', () => {
    const { series, trackId } = poseSeriesFromBatchLines(lines);
    expect(trackId).toBe(1);
    expect(series.fps).toBe(30);
    expect(series.frames.map((f) => f?.[0]?.y ?? null)).toEqual([10, null, 12, 13]);
  });

  it('stitches an athlete whose track id changed (a tracker that lost them for a frame) and skips a smaller bystander', () => {
    const sized = (trackId: number, y: number, size: number) => ({ ...track(trackId, y), box: { x: 0, y: 0, width: size, height: size } });
    const stitched = [
      { type: 'header', fps: 30 },
      { type: 'frame', seq: 0, tracks: [sized(1, 10, 100), sized(9, 99, 20)] },
      { type: 'frame', seq: 1, tracks: [sized(1, 11, 100)] },
      { type: 'frame', seq: 2, tracks: [sized(9, 98, 20)] },
      { type: 'frame', seq: 3, tracks: [sized(2, 13, 100), sized(9, 97, 20)] },
    ];
    const { series, trackId, candidateTrackIds } = poseSeriesFromBatchLines(stitched);
    // Frame 2 has only the bystander: the largest there is they (a short gap of the athlete would be better; see README).
    expect(series.frames.map((f) => f?.[0]?.y ?? null)).toEqual([10, 11, 98, 13]);
    expect(trackId).toBe(1);
    expect(candidateTrackIds).toEqual([9, 1, 2]);
  });

  it('lists every track seen, most frames first (the first is the main track)', () => {
    expect(poseSeriesFromBatchLines(lines).candidateTrackIds).toEqual([1, 2]);
  });

  it('says NO_PERSON_TRACKED when nobody has keypoints, TRACK_NOT_FOUND for a track id not in the file', () => {
    const empty = [
      { type: 'header', fps: 30 },
      { type: 'frame', seq: 0, tracks: [] },
    ];
    expect(() => poseSeriesFromBatchLines(empty)).toThrow(expect.objectContaining({ code: MotionErrorCode.NO_PERSON_TRACKED }) as MotionError);
    expect(() => poseSeriesFromBatchLines(lines, { trackId: 9 })).toThrow(expect.objectContaining({ code: MotionErrorCode.TRACK_NOT_FOUND }) as MotionError);
  });

  it('reads the requested track', () => {
    expect(poseSeriesFromBatchLines(lines, { trackId: 2 }).series.frames.map((f) => f?.[0]?.y ?? null)).toEqual([20, null, null, null]);
  });

  it.each([
    ['no fps anywhere', [{ type: 'header' }, { type: 'frame', seq: 0, tracks: [track(1, 1)] }], /no fps/],
    [
      'a malformed frame',
      [
        { type: 'header', fps: 30 },
        { type: 'frame', seq: 'zero' },
      ],
      /line 2: invalid frame/,
    ],
  ])('rejects %s', (_name, bad, message) => {
    expect(() => poseSeriesFromBatchLines(bad)).toThrow(expect.objectContaining({ code: MotionErrorCode.INVALID_BATCH_FILE }) as MotionError);
    expect(() => poseSeriesFromBatchLines(bad)).toThrow(message);
  });
});
