/** Memory layout of an image tensor. */
export type TensorLayout = 'nhwc' | 'nchw';

/** How pixels become tensor values: `(value - mean) / std`, optionally BGR. */
export interface PixelNormalization {
  mean: number;
  std: number;
  /** Swap to BGR (many ArcFace exports from insightface expect BGR). Default false. */
  bgr?: boolean;
}

/**
 * Packs HWC RGB images (all the same size) into one batch tensor's data in the given layout:
 * int32 raw 0-255 values (MoveNet's input) or normalized float32.
 */
export function packImages(
  images: readonly Uint8Array[],
  width: number,
  height: number,
  layout: TensorLayout,
  dtype: 'int32' | 'float32',
  norm: PixelNormalization = { mean: 0, std: 1 },
): Int32Array | Float32Array {
  const plane = width * height;
  const out = dtype === 'int32' ? new Int32Array(images.length * plane * 3) : new Float32Array(images.length * plane * 3);
  const inv = 1 / norm.std;
  images.forEach((rgb, n) => {
    const base = n * plane * 3;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        const src = rgb[p * 3 + (norm.bgr ? 2 - c : c)] ?? 0;
        const value = dtype === 'int32' ? src : (src - norm.mean) * inv;
        out[layout === 'nhwc' ? base + p * 3 + c : base + c * plane + p] = value;
      }
    }
  });
  return out;
}
