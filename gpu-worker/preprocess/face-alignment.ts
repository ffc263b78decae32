import type { Keypoint } from '../inference/inference-backend';
import type { FrameRaster } from './frame-raster';

/**
 * Where the eyes sit in an aligned face crop, as fractions of its side: the live path's
 * (MultiPose eye keypoints), also used for enrolment photos (BlazeFace eye points). Measured on
 * the shared faces (tight 150 px crops), both models put the eyes' midpoint at ~0.30 of the
 * photo's height, and BlazeFace's eyes 7.5% further apart than MultiPose's (0.413 vs 0.385 of
 * the side), so this template frames a little more than the photo above the brow. A
 * BlazeFace-specific template matching the live crop (0.392 / 0.387) and a sweep of 64
 * templates did not separate faces clearly better on held-out pairs, so one template serves
 * both paths (server/bench/face-alignment.bench.ts, docs/IDENTITY.md "Embedder and thresholds").
 */
export const FACE_TEMPLATE: FaceTemplate = Object.freeze({ eyeCentreY: 0.4, eyeDistance: 0.36 });

/** Where a detector's eye points are placed in the aligned crop, as fractions of its side. */
export interface FaceTemplate {
  /** Height of the eyes' midpoint (0: top). */
  eyeCentreY: number;
  /** Distance between the eyes. */
  eyeDistance: number;
}

/** Options of {@link faceAlignment}. */
export interface FaceAlignmentOptions {
  /** Keypoint score below which an eye does not count. Default 0.3. */
  minKeypointScore?: number;
  /** Smallest eye distance in frame pixels worth embedding. Default 8 (a face of about 22 px). */
  minEyeDistance?: number;
}

/** A similarity transform from aligned-crop pixels to frame pixels. */
export interface FaceAlignment {
  /** Midpoint of the eyes in frame pixels. */
  eyeCentre: { x: number; y: number };
  /** Angle of the line from the person's right eye to the left eye, radians (0: level). */
  angle: number;
  /** Frame pixels per crop pixel for a crop of side 1 (multiply by 1 / side). */
  eyeDistance: number;
}

/**
 * The alignment of a face from COCO keypoints (1 left eye, 2 right eye), or undefined when
 * either eye is not seen well enough or the face is too small to tell anyone apart. Aligning by
 * the eyes removes head roll, so the embedder sees faces upright like the enrolled photos.
 */
export function faceAlignment(keypoints: readonly Keypoint[], options: FaceAlignmentOptions = {}): FaceAlignment | undefined {
  const min = options.minKeypointScore ?? 0.3;
  const leftEye = keypoints[1];
  const rightEye = keypoints[2];
  if (!leftEye || !rightEye || !(leftEye.score >= min) || !(rightEye.score >= min)) return undefined;
  // COCO's "left eye" is the person's left, seen on the image's right when they face the camera.
  const dx = leftEye.x - rightEye.x;
  const dy = leftEye.y - rightEye.y;
  const eyeDistance = Math.hypot(dx, dy);
  // Not finite (a broken model output): no face, rather than a crop of NaN or infinite scale.
  if (!(eyeDistance >= (options.minEyeDistance ?? 8)) || !Number.isFinite(eyeDistance) || !Number.isFinite(leftEye.x + rightEye.x + leftEye.y + rightEye.y)) return undefined;
  return { eyeCentre: { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 }, angle: Math.atan2(dy, dx), eyeDistance };
}

/**
 * Samples the aligned face into `side` x `side` packed RGB (bilinear, edges clamped) at `offset`
 * of `out`. Crop pixel (u, v) maps to the frame through rotation by the eyes' angle and scale
 * eyeDistance / (template eye distance * side), anchored at the template's eye midpoint. The
 * template depends on which model found the eyes (its eye points sit in its own place).
 */
export function sampleAlignedFaceInto(
  frame: FrameRaster,
  alignment: FaceAlignment,
  side: number,
  out: Uint8Array,
  offset: number,
  template: FaceTemplate = FACE_TEMPLATE,
): void {
  if (!(template.eyeDistance > 0 && template.eyeDistance < 1 && template.eyeCentreY > 0 && template.eyeCentreY < 1)) {
    throw new RangeError(`face template must place the eyes inside the crop (fractions in (0, 1)), got ${JSON.stringify(template)}`);
  }
  const { rgb, width, height } = frame;
  const scale = alignment.eyeDistance / (template.eyeDistance * side);
  const cos = Math.cos(alignment.angle) * scale;
  const sin = Math.sin(alignment.angle) * scale;
  const ax = side / 2;
  const ay = template.eyeCentreY * side;
  const maxX = width - 1;
  const maxY = height - 1;
  let o = offset;
  for (let v = 0; v < side; v++) {
    const ty = v + 0.5 - ay;
    for (let u = 0; u < side; u++, o += 3) {
      const tx = u + 0.5 - ax;
      const sx = Math.min(maxX, Math.max(0, alignment.eyeCentre.x + cos * tx - sin * ty - 0.5));
      const sy = Math.min(maxY, Math.max(0, alignment.eyeCentre.y + sin * tx + cos * ty - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(maxX, x0 + 1);
      const y1 = Math.min(maxY, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const r0 = y0 * width;
      const r1 = y1 * width;
      for (let c = 0; c < 3; c++) {
        const p00 = rgb[(r0 + x0) * 3 + c] as number;
        const p10 = rgb[(r0 + x1) * 3 + c] as number;
        const p01 = rgb[(r1 + x0) * 3 + c] as number;
        const p11 = rgb[(r1 + x1) * 3 + c] as number;
        const t = p00 + (p10 - p00) * fx;
        out[o + c] = Math.round(t + (p01 + (p11 - p01) * fx - t) * fy);
      }
    }
  }
}
