import { zoneGeometryProblem } from './zone-geometry';

describe('zoneGeometryProblem', () => {
  it.each([
    [
      'AREA',
      [
        [0, 0],
        [1, 0],
        [1, 1],
      ],
      null,
    ],
    [
      'AREA',
      [
        [0, 0],
        [1, 0],
      ],
      'an AREA zone has 3 to 64 points',
    ],
    [
      'AREA',
      [
        [0, 0],
        [0.5, 0.5],
        [1, 1],
      ],
      'an AREA zone must enclose a non-zero area',
    ],
    [
      'AREA',
      [
        [0, 0],
        [1.5, 0],
        [1, 1],
      ],
      'every point must be [x, y] with both in 0..1 (normalized image coordinates)',
    ],
    [
      'AREA',
      [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
      ],
      'an AREA zone must not cross itself',
    ],
    [
      'AREA',
      [
        [0.1, 0.1],
        [0.9, 0.1],
        [0.9, 0.9],
        [0.5, 0.5],
        [0.1, 0.9],
      ],
      null,
    ],
    [
      'LINE',
      [
        [0, 0.5],
        [1, 0.5],
      ],
      null,
    ],
    [
      'LINE',
      [
        [0, 0.5],
        [1, 0.5],
        [1, 1],
      ],
      'a LINE zone has exactly 2 points',
    ],
    [
      'LINE',
      [
        [0.2, 0.2],
        [0.2, 0.2],
      ],
      'a LINE zone needs two distinct points',
    ],
  ] as const)('%s %j -> %s', (kind, points, expected) => {
    expect(zoneGeometryProblem(kind, points as unknown as number[][])).toBe(expected);
  });
});
