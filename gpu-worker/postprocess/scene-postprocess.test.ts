import { workerCpuPlan } from '../inference/cpu-plan';
import { detectionRegions, sampleSquareInto } from '../preprocess/frame-raster';
import { decodeCenterNetPersons } from './centernet.decoder';
import { decodeMoveNetSinglePose, personCrop } from './movenet-singlepose.decoder';
import { decodeNanoDetPersons } from './nanodet.decoder';
import { mergeRegionBoxes } from './tile-merge';

describe('decodeNanoDetPersons', () => {
  /** A 2x2 level (stride 8 on a 16 px input) with one confident person cell. */
  function level(personCell: number, score: number, distancesBins: [number, number, number, number]) {
    const grid = 2;
    const scores = new Float32Array(grid * grid * 80);
    scores[personCell * 80] = score;
    scores[personCell * 80 + 2] = 0.99; // a car in the same cell: ignored
    const boxes = new Float32Array(grid * grid * 44).fill(-20);
    distancesBins.forEach((bin, side) => (boxes[personCell * 44 + side * 11 + bin] = 20));
    return { grid, scores, boxes };
  }

  it('places the box around the cell centre at (col + 0.5) * stride, sides = expected bin * stride', () => {
    const boxes = decodeNanoDetPersons([level(3, 0.8, [1, 2, 1, 3])], 16);
    expect(boxes).toHaveLength(1);
    // cell 3 = row 1, col 1 -> centre (12, 12); stride 8.
    expect(boxes[0]).toMatchObject({
      x1: expect.closeTo(4, 3),
      y1: expect.closeTo(-4, 3),
      x2: expect.closeTo(20, 3),
      y2: expect.closeTo(36, 3),
      score: expect.closeTo(0.8, 5),
    });
  });

  it('keeps only person scores at or above the threshold', () => {
    expect(decodeNanoDetPersons([level(0, 0.29, [1, 1, 1, 1])], 16)).toEqual([]);
    expect(decodeNanoDetPersons([level(0, 0.29, [1, 1, 1, 1])], 16, { minScore: 0.2 })).toHaveLength(1);
  });
});

it('decodeCenterNetPersons keeps class 0 above the threshold', () => {
  const rows = Float32Array.from([10, 20, 30, 80, 0.9, 0, 5, 5, 50, 50, 0.95, 2, 1, 1, 2, 2, 0.1, 0]);
  expect(decodeCenterNetPersons(rows)).toEqual([{ x1: 10, y1: 20, x2: 30, y2: 80, score: expect.closeTo(0.9, 5) }]);
});

describe('person crops and single-pose keypoints', () => {
  it('crops a square 1.25x the longer side, centred on the box, and maps keypoints back', () => {
    const crop = personCrop({ x: 100, y: 50, width: 40, height: 80 });
    expect(crop).toEqual({ x: 70, y: 40, side: 100 });
    const out = new Float32Array(17 * 3);
    out[0] = 0.5; // nose y
    out[1] = 0.25; // nose x
    out[2] = 0.9;
    expect(decodeMoveNetSinglePose(out, crop)[0]).toEqual({ x: 95, y: 90, score: expect.closeTo(0.9, 5) });
  });

  it('samples a crop with zero padding outside the frame', () => {
    const frame = { width: 2, height: 2, rgb: Uint8Array.from([10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40]) };
    const out = new Int32Array(4 * 4 * 3);
    sampleSquareInto(frame, -2, -2, 4, 4, out, 0);
    expect(out[0]).toBe(0); // top-left: outside
    expect(out[(3 * 4 + 3) * 3]).toBe(40); // bottom-right maps to the last pixel exactly
  });

  it('samples a crop inside the frame (the unchecked fast path) exactly like plain bilinear with rounding', () => {
    const width = 37;
    const height = 29;
    let seed = 7;
    const rgb = Uint8Array.from({ length: width * height * 3 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256);
    const at = (px: number, py: number, c: number): number => (px >= 0 && px < width && py >= 0 && py < height ? (rgb[(py * width + px) * 3 + c] as number) : 0);
    for (const [x, y, side, size] of [
      [3.3, 2.7, 20.5, 16],
      [0, 0, 28, 9],
      [-4, 5, 30, 12],
    ] as const) {
      const out = new Int32Array(size * size * 3);
      sampleSquareInto({ width, height, rgb }, x, y, side, size, out, 0);
      const step = side / size;
      for (let v = 0; v < size; v++)
        for (let u = 0; u < size; u++)
          for (let c = 0; c < 3; c++) {
            const sx = x + (u + 0.5) * step - 0.5;
            const sy = y + (v + 0.5) * step - 0.5;
            const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
            const [fx, fy] = [Math.fround(sx - x0), sy - y0];
            const t = at(x0, y0, c) + (at(x0 + 1, y0, c) - at(x0, y0, c)) * fx;
            const b = at(x0, y0 + 1, c) + (at(x0 + 1, y0 + 1, c) - at(x0, y0 + 1, c)) * fx;
            expect(out[(v * size + u) * 3 + c]).toBe(Math.round(t + (b - t) * fy));
          }
    }
  });
});

describe('tiles and their merge', () => {
  it('lays out the whole frame plus 2x2 tiles that overlap across the centre', () => {
    const regions = detectionRegions(100, 80, true);
    expect(regions).toEqual([
      { x: 0, y: 0, width: 100, height: 80 },
      { x: 0, y: 0, width: 60, height: 48 },
      { x: 40, y: 0, width: 60, height: 48 },
      { x: 0, y: 32, width: 60, height: 48 },
      { x: 40, y: 32, width: 60, height: 48 },
    ]);
    expect(detectionRegions(100, 80, false)).toHaveLength(1);
  });

  it('drops the half of a person a seam cut when the whole person was found elsewhere, keeps distinct people', () => {
    const [whole, left] = detectionRegions(100, 80, true);
    const person = { x1: 50, y1: 10, x2: 70, y2: 40, score: 0.7 };
    const half = { x1: 50, y1: 10, x2: 60, y2: 40, score: 0.8 }; // cut by the left tile's right edge (x = 60)
    const other = { x1: 10, y1: 10, x2: 20, y2: 40, score: 0.6 };
    const merged = mergeRegionBoxes(
      [
        { box: person, region: whole! },
        { box: half, region: left! },
        { box: other, region: left! },
      ],
      100,
      80,
    );
    expect(merged).toEqual([person, other]);
  });
});

it('workerCpuPlan uses every core up to 3, then leaves one and runs 2-thread processes', () => {
  expect(workerCpuPlan(1)).toEqual({ cores: 1, processes: 1, intraOpThreads: 1 });
  expect(workerCpuPlan(2)).toEqual({ cores: 2, processes: 1, intraOpThreads: 2 });
  expect(workerCpuPlan(8)).toEqual({ cores: 8, processes: 3, intraOpThreads: 2 });
  expect(workerCpuPlan(16)).toEqual({ cores: 16, processes: 7, intraOpThreads: 2 });
});
