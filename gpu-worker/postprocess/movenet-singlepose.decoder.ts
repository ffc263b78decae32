import type { Keypoint } from '../inference/inference-backend';
import { COCO_KEYPOINTS } from './movenet-multipose.decoder';

/** A square crop of the frame: top-left and side in frame pixels. */
export interface SquareCrop {
  x: number;
  y: number;
  side: number;
}

/**
 * Decodes one MoveNet SinglePose output (`[1, 1, 17, 3]`: y, x, score, normalized to the crop)
 * into 17 COCO keypoints in frame pixels.
 */
export function decodeMoveNetSinglePose(output: Float32Array, crop: SquareCrop): Keypoint[] {
  return Array.from({ length: COCO_KEYPOINTS }, (_, k) => ({
    x: crop.x + (output[k * 3 + 1] ?? 0) * crop.side,
    y: crop.y + (output[k * 3] ?? 0) * crop.side,
    score: output[k * 3 + 2] ?? 0,
  }));
}

/**
 * The square crop around a person box: centred on it, `scale` times its longer side (default
 * 1.25: MoveNet wants the whole body with a margin). It may extend past the frame; the sampler
 * pads with zeros.
 */
export function personCrop(box: { x: number; y: number; width: number; height: number }, scale = 1.25): SquareCrop {
  const side = Math.max(box.width, box.height, 1) * scale;
  return { x: box.x + box.width / 2 - side / 2, y: box.y + box.height / 2 - side / 2, side };
}
