import type { Keypoint } from '../inference/inference-backend';
import { FACE_TEMPLATE, type FaceTemplate, faceAlignment, sampleAlignedFaceInto } from './face-alignment';
import type { FrameRaster } from './frame-raster';

// Eye alignment on a synthetic frame: black, with two white 3x3 "eyes". The crop must show the
// eyes level and where the template puts them, whichever template the caller passes.
const W = 200;
const H = 200;

function frameWithEyes(eyes: readonly { x: number; y: number }[]): FrameRaster {
  const rgb = new Uint8Array(W * H * 3);
  for (const e of eyes) {
    // Keypoints are continuous coordinates: pixel (x, y) covers [x, x + 1), its centre at x + 0.5.
    for (let y = Math.floor(e.y) - 1; y <= Math.floor(e.y) + 1; y++) {
      for (let x = Math.floor(e.x) - 1; x <= Math.floor(e.x) + 1; x++) rgb.fill(255, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return { rgb, width: W, height: H };
}

/** COCO order: 0 nose, 1 left eye (the person's left: the image's right), 2 right eye. */
function keypoints(rightEye: { x: number; y: number }, leftEye: { x: number; y: number }, score = 0.9): Keypoint[] {
  return [
    { x: (rightEye.x + leftEye.x) / 2, y: rightEye.y + 20, score },
    { ...leftEye, score },
    { ...rightEye, score },
  ];
}

/** Centroid of the bright pixels in the left and right halves of a side x side crop. */
function eyesInCrop(crop: Uint8Array, side: number): { left: { x: number; y: number }; right: { x: number; y: number } } {
  const sums = [
    { x: 0, y: 0, w: 0 },
    { x: 0, y: 0, w: 0 },
  ];
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      const value = crop[(v * side + u) * 3] as number;
      if (value < 64) continue;
      const s = sums[u < side / 2 ? 0 : 1]!;
      s.x += (u + 0.5) * value;
      s.y += (v + 0.5) * value;
      s.w += value;
    }
  }
  const [l, r] = sums.map((s) => ({ x: s.x / s.w, y: s.y / s.w }));
  return { left: l!, right: r! };
}

function sample(frame: FrameRaster, kps: Keypoint[], side: number, template?: FaceTemplate): Uint8Array {
  const alignment = faceAlignment(kps);
  expect(alignment).toBeDefined();
  const crop = new Uint8Array(side * side * 3);
  sampleAlignedFaceInto(frame, alignment!, side, crop, 0, template);
  return crop;
}

describe('faceAlignment', () => {
  it('measures the eyes: midpoint, distance and roll', () => {
    const a = faceAlignment(keypoints({ x: 80, y: 100 }, { x: 120, y: 130 }));
    expect(a?.eyeCentre).toEqual({ x: 100, y: 115 });
    expect(a?.eyeDistance).toBeCloseTo(50, 6);
    expect(a?.angle).toBeCloseTo(Math.atan2(30, 40), 6);
  });

  it('refuses eyes seen badly, too close together, missing or not finite', () => {
    expect(faceAlignment(keypoints({ x: 80, y: 100 }, { x: 120, y: 100 }, 0.2))).toBeUndefined();
    expect(faceAlignment(keypoints({ x: 98, y: 100 }, { x: 102, y: 100 }))).toBeUndefined();
    expect(faceAlignment(keypoints({ x: 80, y: 100 }, { x: 120, y: 100 }).slice(0, 2))).toBeUndefined();
    expect(faceAlignment(keypoints({ x: Number.NaN, y: 100 }, { x: 120, y: 100 }))).toBeUndefined();
    expect(faceAlignment(keypoints({ x: 80, y: 100 }, { x: Number.POSITIVE_INFINITY, y: 100 }))).toBeUndefined();
  });
});

describe('sampleAlignedFaceInto', () => {
  const side = 100;

  it('places level eyes where the live template puts them by default', () => {
    const right = { x: 80.5, y: 100.5 };
    const left = { x: 120.5, y: 100.5 };
    const eyes = eyesInCrop(sample(frameWithEyes([right, left]), keypoints(right, left), side), side);
    const half = (FACE_TEMPLATE.eyeDistance * side) / 2;
    expect(eyes.left.x).toBeCloseTo(side / 2 - half, 0);
    expect(eyes.right.x).toBeCloseTo(side / 2 + half, 0);
    expect(eyes.left.y).toBeCloseTo(FACE_TEMPLATE.eyeCentreY * side, 0);
    expect(eyes.right.y).toBeCloseTo(FACE_TEMPLATE.eyeCentreY * side, 0);
  });

  it('places the eyes where a caller-given template puts them, and levels a rolled head', () => {
    const template = { eyeCentreY: 0.3, eyeDistance: 0.42 };
    // Head rolled by 30 degrees: the person's left eye lower on the image.
    const right = { x: 80.5, y: 90.5 };
    // On pixel centres, as the drawn eyes are.
    const left = { x: Math.round(80 + 40 * Math.cos(Math.PI / 6)) + 0.5, y: Math.round(90 + 40 * Math.sin(Math.PI / 6)) + 0.5 };
    const eyes = eyesInCrop(sample(frameWithEyes([right, left]), keypoints(right, left), side, template), side);
    const half = (template.eyeDistance * side) / 2;
    for (const [found, want] of [
      [eyes.left, { x: side / 2 - half, y: template.eyeCentreY * side }],
      [eyes.right, { x: side / 2 + half, y: template.eyeCentreY * side }],
    ] as const) {
      expect(Math.hypot(found.x - want.x, found.y - want.y)).toBeLessThan(0.3);
    }
  });

  it('refuses a template outside the crop (a zero or negative eye distance would sample nothing sensible)', () => {
    const right = { x: 80, y: 100 };
    const left = { x: 120, y: 100 };
    const alignment = faceAlignment(keypoints(right, left))!;
    const out = new Uint8Array(side * side * 3);
    for (const template of [
      { eyeCentreY: 0.4, eyeDistance: 0 },
      { eyeCentreY: 0.4, eyeDistance: -0.3 },
      { eyeCentreY: 1.2, eyeDistance: 0.36 },
      { eyeCentreY: Number.NaN, eyeDistance: 0.36 },
    ]) {
      expect(() => sampleAlignedFaceInto(frameWithEyes([right, left]), alignment, side, out, 0, template)).toThrow(RangeError);
    }
  });
});
