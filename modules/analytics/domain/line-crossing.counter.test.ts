import { LineCrossingCounter, type LineCrossing } from './line-crossing.counter';

/** A vertical line at x = 0.5 from top (A) to bottom (B): moving right is leaving A->B's left... */
const LINE = { id: 'L', a: { x: 0.5, y: 0.2 }, b: { x: 0.5, y: 0.8 } };
const FRAME_MS = 100;

/** One track walking through x positions at y = 0.5 (null: not seen that frame); square image. */
function count(xs: (number | null)[], y = 0.5, options = { margin: 0.03, confirmFrames: 3 }): LineCrossing[] {
  const counter = new LineCrossingCounter([LINE], options);
  return xs.flatMap((x, i) => counter.update(i * FRAME_MS, 1, x === null ? [] : [{ trackId: 1, point: { x, y } }]));
}

const directions = (crossings: LineCrossing[]) => crossings.map((c) => c.direction);

describe('LineCrossingCounter', () => {
  // Line A(0.5,0.2) -> B(0.5,0.8) points down the image; its left (as seen walking along it) is +x.
  it.each([
    ['a clean crossing right to left counts once', [0.7, 0.6, 0.4, 0.3, 0.3, 0.3], ['IN']],
    ['a clean crossing left to right counts once, the other way', [0.3, 0.4, 0.6, 0.7, 0.7], ['OUT']],
    ['jitter on the line (inside the margin) never counts', [0.3, 0.49, 0.51, 0.49, 0.52, 0.5, 0.48, 0.3], []],
    ['jitter across the line for fewer than confirmFrames does not count', [0.3, 0.6, 0.4, 0.6, 0.6, 0.4, 0.3], []],
    ['touching the line and turning back does not count', [0.3, 0.4, 0.49, 0.5, 0.49, 0.4, 0.3], []],
    ['stepping over and straight back does not count', [0.3, 0.4, 0.6, 0.6, 0.4, 0.3, 0.3], []],
    ['lingering on the line mid-crossing still counts once', [0.3, 0.5, 0.51, 0.49, 0.5, 0.6, 0.7, 0.7, 0.7], ['OUT']],
    ['crossing and coming back counts both ways', [0.3, 0.7, 0.7, 0.7, 0.3, 0.3, 0.3], ['OUT', 'IN']],
    ['a track lost mid-crossing that reappears across counts once', [0.3, 0.4, null, null, 0.6, 0.7, 0.7], ['OUT']],
    ['appearing first on the line and walking off is not a crossing', [0.5, 0.5, 0.6, 0.7, 0.7, 0.7], []],
  ] as const)('%s', (_name, xs, expected) => {
    expect(directions(count([...xs]))).toEqual(expected);
  });

  it('walking past the end of the line does not count', () => {
    expect(count([0.3, 0.4, 0.6, 0.7, 0.7], 0.95)).toEqual([]);
  });

  it('dates the crossing at the first frame clear on the new side', () => {
    expect(count([0.3, 0.4, 0.6, 0.7, 0.7])).toEqual([{ lineId: 'L', trackId: 1, direction: 'OUT', at: 200 }]);
  });

  it('measures the margin in image heights: a wide image does not shrink it', () => {
    const counter = new LineCrossingCounter([LINE], { margin: 0.05, confirmFrames: 1 });
    // On a 2:1 image, x 0.49 -> 0.51 moves 0.04 image heights: inside a 0.05 band both times.
    const seen = [0.3, 0.49, 0.51, 0.49].flatMap((x, i) => counter.update(i * FRAME_MS, 2, [{ trackId: 1, point: { x, y: 0.5 } }]));
    expect(seen).toEqual([]);
  });

  it('counts each track on its own', () => {
    const counter = new LineCrossingCounter([LINE], { confirmFrames: 2 });
    const xs = [0.3, 0.7, 0.7];
    const seen = xs.flatMap((x, i) =>
      counter.update(i * FRAME_MS, 1, [
        { trackId: 1, point: { x, y: 0.5 } },
        { trackId: 2, point: { x: 1 - x, y: 0.5 } },
      ]),
    );
    expect(seen.map((c) => [c.trackId, c.direction])).toEqual([
      [1, 'OUT'],
      [2, 'IN'],
    ]);
  });

  it('refuses options that make no sense', () => {
    expect(() => new LineCrossingCounter([LINE], { confirmFrames: 0 })).toThrow(RangeError);
    expect(() => new LineCrossingCounter([LINE], { margin: -1 })).toThrow(RangeError);
  });
});
