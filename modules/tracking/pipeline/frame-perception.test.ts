import { makeSupervisor } from '../domain/supervision/supervision.fixtures';
import { BATCH_PERCEPTION, framePerceptionOf, trackerOptionsFor } from './frame-perception';

describe('framePerceptionOf', () => {
  it('looks at simulator frames as SIMULATED whatever the stored profile, others with their profile', () => {
    expect(framePerceptionOf({ sourceKind: 'SIMULATOR', perception: 'SCENE', tiled: true })).toEqual({ perception: 'SIMULATED', tiled: false });
    expect(framePerceptionOf({ sourceKind: 'UPLOAD', perception: 'CLOSE_UP', tiled: false })).toEqual({ perception: 'CLOSE_UP', tiled: false });
    expect(framePerceptionOf({ sourceKind: 'FILE', perception: 'SCENE', tiled: true })).toEqual({ perception: 'SCENE', tiled: true });
    // Tiles are the detector's: a close-up never asks for them, whatever a stale row says.
    expect(framePerceptionOf({ sourceKind: 'NETWORK', perception: 'CLOSE_UP', tiled: true })).toEqual({ perception: 'CLOSE_UP', tiled: false });
    expect(BATCH_PERCEPTION).toEqual({ perception: 'SCENE', tiled: false });
  });

  it('asks for faces only for a real camera with identity on; never for simulated truth', () => {
    expect(framePerceptionOf({ sourceKind: 'FILE', perception: 'SCENE', tiled: false, identity: true })).toEqual({ perception: 'SCENE', tiled: false, faces: true });
    expect(framePerceptionOf({ sourceKind: 'UPLOAD', perception: 'CLOSE_UP', tiled: false, identity: false }).faces).toBeUndefined();
    expect(framePerceptionOf({ sourceKind: 'SIMULATOR', perception: 'SCENE', tiled: false, identity: true }).faces).toBeUndefined();
  });
});

describe('perception on dispatched frames', () => {
  it('sends every frame with its camera perception, and a re-registered camera with the new one', () => {
    const { supervisor, submit, take } = makeSupervisor();
    submit('cam', 1);
    expect(take().map((f) => [f.perception, f.tiled])).toEqual([['SIMULATED', false]]);
    supervisor.registerCamera('cam', 'CRITICAL', { perception: 'SCENE', tiled: true });
    submit('cam', 2);
    expect(take().map((f) => [f.seq, f.perception, f.tiled])).toEqual([[2, 'SCENE', true]]);
    expect(take()).toEqual([]);
    submit('cam', 3);
    expect(take().map((f) => f.faces)).toEqual([false]);
    supervisor.registerCamera('cam', 'CRITICAL', { perception: 'CLOSE_UP', tiled: false, faces: true });
    submit('cam', 4);
    expect(take().map((f) => [f.seq, f.faces])).toEqual([[4, true]]);
  });
});

describe('trackerOptionsFor', () => {
  it("lowers the tracker's score thresholds for the SCENE detector's score scale only", () => {
    expect(trackerOptionsFor('SCENE')).toEqual({ highThreshold: 0.35, newTrackThreshold: 0.4 });
    expect(trackerOptionsFor('CLOSE_UP')).toEqual({});
    expect(trackerOptionsFor('SIMULATED')).toEqual({});
  });
});
