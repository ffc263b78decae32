import { heatColor } from './draw-analytics';

describe('heatColor', () => {
  it.each([
    [0, [0, 0, 255, 0]],
    [0.5, [255, 255, 0, 130]],
    [1, [255, 0, 0, 200]],
  ] as const)('%p -> %j', (t, rgba) => {
    expect(heatColor(t)).toEqual(rgba);
  });

  it('clamps values outside 0..1', () => {
    expect(heatColor(2)).toEqual(heatColor(1));
    expect(heatColor(-1)).toEqual(heatColor(0));
  });
});
