import { drawOverlay, type OverlayContext } from './draw-overlay';
import type { TrackResult } from './frame-result';

/** A 2D context that records the calls that matter here. */
function recordingContext(): { ctx: OverlayContext; calls: string[] } {
  const calls: string[] = [];
  const noop = () => undefined;
  const ctx = {
    clearRect: noop, setLineDash: (dash: number[]) => calls.push(`setLineDash(${dash.join(',')})`),
    fillRect: noop, drawImage: noop, strokeRect: noop, beginPath: noop, moveTo: noop, lineTo: noop, stroke: noop, arc: noop, fill: noop,
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    scale: (x: number, y: number) => calls.push(`scale(${x},${y})`),
    fillText: (text: string, x: number) => calls.push(`fillText(${text},${Math.round(x)})`),
    measureText: () => ({ width: 20 }) as TextMetrics,
    fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', globalAlpha: 1, lineCap: 'butt',
  } as unknown as OverlayContext;
  return { ctx, calls };
}

const track: TrackResult = { trackId: '7', box: { x: 100, y: 50, width: 40, height: 80 }, keypoints: [], quality: 1 };
const options = { width: 240, height: 240, background: null, fill: null, minKeypointScore: 0.3, stale: false };

describe('drawOverlay labels', () => {
  it('writes the track id at the box corner', () => {
    const { ctx, calls } = recordingContext();
    drawOverlay(ctx, [track], options);
    expect(calls).toContain('fillText(#7,103)');
    expect(calls).not.toContain('scale(-1,1)');
  });

  it('writes it mirrored on a mirrored (selfie) canvas, so it reads right once the canvas is flipped', () => {
    const { ctx, calls } = recordingContext();
    drawOverlay(ctx, [track], { ...options, mirrored: true });
    const i = calls.indexOf('scale(-1,1)');
    expect(i).toBeGreaterThan(-1);
    // Label box spans x 100..126 (20 px text + 6 px padding); mirrored text starts at -(126) + 3.
    expect(calls[i + 1]).toBe('fillText(#7,-123)');
    expect(calls[i + 2]).toBe('restore');
  });

  it('writes the name identity gave a track after its id, and reports the names drawn', () => {
    const { ctx, calls } = recordingContext();
    const other: TrackResult = { ...track, trackId: '8' };
    const stats = drawOverlay(ctx, [track, other], { ...options, names: new Map([[7, 'Bernadette']]) });
    expect(calls).toContain('fillText(#7 Bernadette,103)');
    expect(calls).toContain('fillText(#8,103)');
    expect(stats.names).toEqual(['Bernadette']);
  });

  it('marks a weakly matched track with a dashed box and an "unconfirmed" badge with its similarity, never a name', () => {
    const { ctx, calls } = recordingContext();
    const other: TrackResult = { ...track, trackId: '8' };
    const stats = drawOverlay(ctx, [track, other], { ...options, weak: new Map([[8, 0.5634]]) });
    expect(calls).toContain('fillText(#8 ? unconfirmed 0.56,103)');
    expect(calls).toContain('fillText(#7,103)');
    // Only the weak track's box is dashed, and the dash is cleared for what follows.
    expect(calls.filter((c) => c.startsWith('setLineDash'))).toEqual(['setLineDash(4,3)', 'setLineDash()']);
    expect(stats.weak).toEqual([8]);
    expect(stats.names).toEqual([]);
  });

  it('a track named after its weak match shows the name, not the badge', () => {
    const { ctx, calls } = recordingContext();
    const stats = drawOverlay(ctx, [track], { ...options, names: new Map([[7, 'Bernadette']]), weak: new Map([[7, 0.56]]) });
    expect(calls).toContain('fillText(#7 Bernadette,103)');
    expect(calls.some((c) => c.includes('unconfirmed'))).toBe(false);
    expect(stats.weak).toEqual([]);
  });
});
