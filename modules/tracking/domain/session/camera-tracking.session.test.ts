import { CameraTrackingSession, type DetectedPerson } from './camera-tracking.session';

function person(x: number, y = 100): DetectedPerson {
  const keypoints = Array.from({ length: 17 }, (_, i) => ({ x: x + 20 + (i % 3), y: y + 10 + i * 8, score: 0.9 }));
  return { box: { x, y, width: 60, height: 160 }, score: 0.95, keypoints };
}

describe('CameraTrackingSession', () => {
  it('keeps one id for a person walking across frames, with smoothed keypoints and a quality score', () => {
    const session = CameraTrackingSession.create('cam');
    const ids = new Set<number>();
    let last;
    for (let i = 0; i < 10; i++) {
      last = session.update({ seq: i, captureTs: i * 100, width: 640, height: 480, persons: [person(50 + i * 5)] }).frame;
      for (const t of last.tracks) ids.add(t.trackId);
    }
    expect(ids.size).toBe(1);
    expect(last!.tracks[0]!.keypoints).toHaveLength(17);
    expect(last!.tracks[0]!.quality).toBeGreaterThan(0);
    expect(last!.tracks[0]!.quality).toBeLessThanOrEqual(1);
  });

  it('summarises a track once the tracker removes it', () => {
    const session = CameraTrackingSession.create('cam', { tracker: { lostTrackBuffer: 2 } });
    for (let i = 0; i < 5; i++) session.update({ seq: i, captureTs: i * 100, width: 640, height: 480, persons: [person(50 + i * 10)] });
    const ended = [];
    for (let i = 5; i < 12; i++) ended.push(...session.update({ seq: i, captureTs: i * 100, width: 640, height: 480, persons: [] }).ended);
    expect(ended).toHaveLength(1);
    // A track is reported once confirmed (its second hit), so it is first seen at the second frame.
    expect(ended[0]).toMatchObject({ cameraId: 'cam', firstSeenTs: 100, lastSeenTs: 400, frames: 4 });
    expect(ended[0]!.pathLengthPx).toBeCloseTo(30, 0);
    expect(ended[0]!.meanQuality).toBeGreaterThan(0);
  });

  it('ends every live track when the camera stops', () => {
    const session = CameraTrackingSession.create('cam');
    for (let i = 0; i < 3; i++) session.update({ seq: i, captureTs: i * 100, width: 640, height: 480, persons: [person(50), person(400)] });
    const ended = session.endAll();
    expect(ended.map((s) => s.trackId).sort()).toHaveLength(2);
    expect(session.liveTracks()).toEqual([]);
  });

  it('carries what produced the detections to the frame and to the summaries of ended tracks', () => {
    const session = CameraTrackingSession.create('cam');
    const provenance = { backend: 'onnx' as const, model: 'nanodet-m+movenet-lightning' };
    let frame;
    for (let i = 0; i < 3; i++) frame = session.update({ seq: i, captureTs: i * 100, width: 640, height: 480, persons: [person(50)], provenance }).frame;
    expect(frame!.provenance).toEqual(provenance);
    expect(session.endAll()[0]!.provenance).toEqual(provenance);
    expect(CameraTrackingSession.create('c2').update({ seq: 0, captureTs: 0, width: 1, height: 1, persons: [] }).frame.provenance).toBeNull();
  });

  it('hands face vectors out per track beside the frame, never inside what subscribers get', () => {
    const session = CameraTrackingSession.create('cam');
    const face = (v: number): number[] => [v, 1 - v, 0.5];
    let out = session.update({ seq: 0, captureTs: 0, width: 640, height: 480, persons: [] });
    for (let i = 0; i < 3; i++) {
      out = session.update({
        seq: i + 1,
        captureTs: (i + 1) * 100,
        width: 640,
        height: 480,
        persons: [{ ...person(50 + i * 5), embedding: face(0.9) }, person(400)],
      });
    }
    expect(out.frame.tracks).toHaveLength(2);
    expect(JSON.stringify(out.frame)).not.toContain('embedding');
    const withFace = out.frame.tracks.find((t) => t.box.x < 200)!;
    expect(out.faces).toEqual([{ trackId: withFace.trackId, embedding: face(0.9) }]);
    // Without faces, no vectors at all.
    expect(session.update({ seq: 9, captureTs: 900, width: 640, height: 480, persons: [person(65), person(400)] }).faces).toEqual([]);
  });
});
