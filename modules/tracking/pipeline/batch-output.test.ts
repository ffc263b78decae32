import type { TrackSummary } from '../domain/session';
import { BatchOutputTally, batchOutputHeader, batchTrackLine } from './batch-output';

function track(trackId: number, frames: number, meanQuality: number): TrackSummary {
  return { cameraId: 'job:x', trackId, firstSeenTs: 100 * trackId, lastSeenTs: 100 * trackId + 900, frames, pathLengthPx: 10, meanQuality, issues: [], provenance: null };
}

describe('batch output v2', () => {
  it('header names format, version, keypoints and the video time base', () => {
    const header = batchOutputHeader({ source: 'a.mp4', perception: 'SCENE', provenance: { backend: 'onnx', model: 'm' }, width: 640, height: 480, fps: 25, durationMs: 4000, createdAt: new Date(0) });
    expect(header).toMatchObject({ type: 'header', format: 'trinetra.batch-output', version: 2, backend: 'onnx', model: 'm', fps: 25, timebase: 'video_ms', createdAt: '1970-01-01T00:00:00.000Z' });
    expect(header.keypoints).toHaveLength(17);
  });

  it('track lines carry video-time firstSeenMs/lastSeenMs and no v1 epoch fields', () => {
    const line = batchTrackLine(track(2, 10, 0.5));
    expect(line).toMatchObject({ type: 'track', trackId: 2, firstSeenMs: 200, lastSeenMs: 1100, frames: 10 });
    expect(line).not.toHaveProperty('firstSeenTs');
    expect(line).not.toHaveProperty('cameraId');
  });

  it('summarizes people, tracks and frame-weighted quality; flicker tracks are not people', () => {
    const tally = new BatchOutputTally();
    tally.frame(2, 2, 0);
    tally.frame(3, 2, 40);
    tally.frame(0, 0, 80);
    tally.dropped(120);
    const summary = tally.summary([track(1, 30, 0.8), track(2, 10, 0.4), track(3, 2, 0.1)]);
    expect(summary).toMatchObject({ frames: 4, framesDropped: 1, framesWithPeople: 2, maxPeopleInFrame: 2, peopleSeen: 2, tracks: 3, lastFrameMs: 120, warnings: [] });
    expect(summary.meanQuality).toBeCloseTo((30 * 0.8 + 10 * 0.4 + 2 * 0.1) / 42, 9);
  });

  it('warns NO_DETECTIONS when frames were looked at and nobody was found, not when every frame was dropped', () => {
    const empty = new BatchOutputTally();
    empty.frame(0, 0, 0);
    empty.frame(0, 0, 100);
    expect(empty.summary([])).toMatchObject({ warnings: ['NO_DETECTIONS'], meanQuality: 0, peopleSeen: 0 });
    const undecodable = new BatchOutputTally();
    undecodable.dropped(0);
    expect(undecodable.summary([]).warnings).toEqual([]);
  });
});
