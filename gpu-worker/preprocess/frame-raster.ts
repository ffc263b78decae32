import sharp from 'sharp';
import { ImageDecodeError } from './letterbox.preprocessor';

/** A decoded frame: packed RGB, HWC, 8 bits, at its full size. */
export interface FrameRaster {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle of a frame in its pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Decodes an encoded frame once to full-size RGB: the SCENE pipeline samples the detector's
 * input, its tiles and every person's crop from it. Empty, truncated (`failOn: 'truncated'`) or
 * non-image bytes, and images without a size, throw {@link ImageDecodeError}.
 */
export async function decodeFrame(image: Buffer): Promise<FrameRaster> {
  if (image.length === 0) throw new ImageDecodeError('empty image');
  try {
    const { data, info } = await sharp(image, { failOn: 'truncated' }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (!info.width || !info.height || info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new ImageDecodeError(`decoder returned ${data.length} bytes for ${info.width}x${info.height}x${info.channels}`);
    }
    return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (cause) {
    if (cause instanceof ImageDecodeError) throw cause;
    throw new ImageDecodeError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * A region of the frame stretched to `width` x `height` (no letterbox: the detectors we serve
 * were trained on stretched inputs), packed RGB. Uses sharp's resampler, which filters when it
 * shrinks (a plain bilinear tap would alias small people away).
 */
export async function resizeRegion(frame: FrameRaster, region: Region, width: number, height: number): Promise<Uint8Array> {
  let pipeline = sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } });
  const whole = region.x === 0 && region.y === 0 && region.width === frame.width && region.height === frame.height;
  if (!whole) pipeline = pipeline.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  const data = await pipeline.resize(width, height, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * Samples a square of side `side` (frame pixels) whose top-left is (`x`, `y`) into `size` x
 * `size` RGB with bilinear interpolation, writing int32 NHWC values into `out` at `offset`.
 * Parts outside the frame are 0 (MoveNet was trained on zero padding). Person crops are
 * usually enlarged, where bilinear is the right filter; it is cheap enough to run per person.
 */
export function sampleSquareInto(frame: FrameRaster, x: number, y: number, side: number, size: number, out: Int32Array, offset: number): void {
  const { rgb, width, height } = frame;
  const step = side / size;
  // Column taps are the same for every row: compute them once. A tap outside the frame reads 0.
  const left = new Int32Array(size);
  const right = new Int32Array(size);
  const wx = new Float32Array(size);
  let inside = true;
  for (let u = 0; u < size; u++) {
    const sx = x + (u + 0.5) * step - 0.5;
    const x0 = Math.floor(sx);
    wx[u] = sx - x0;
    left[u] = x0 >= 0 && x0 < width ? x0 * 3 : -1;
    right[u] = x0 + 1 >= 0 && x0 + 1 < width ? (x0 + 1) * 3 : -1;
    if (left[u] === -1 || right[u] === -1) inside = false;
  }
  const rowBytes = width * 3;
  for (let v = 0; v < size; v++) {
    const sy = y + (v + 0.5) * step - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const top = y0 >= 0 && y0 < height ? y0 * rowBytes : -1;
    const bottom = y0 + 1 >= 0 && y0 + 1 < height ? (y0 + 1) * rowBytes : -1;
    let o = offset + v * size * 3;
    if (inside && top >= 0 && bottom >= 0) {
      // Fast path (the usual person crop, wholly inside the frame): no bounds checks. Rounds
      // like Math.round (values are >= 0), so the result equals the checked path's.
      for (let u = 0; u < size; u++, o += 3) {
        const l = left[u] as number;
        const r = right[u] as number;
        const fx = wx[u] as number;
        for (let c = 0; c < 3; c++) {
          const p00 = rgb[top + l + c] as number;
          const p10 = rgb[top + r + c] as number;
          const p01 = rgb[bottom + l + c] as number;
          const p11 = rgb[bottom + r + c] as number;
          const t = p00 + (p10 - p00) * fx;
          out[o + c] = Math.floor(t + (p01 + (p11 - p01) * fx - t) * fy + 0.5);
        }
      }
      continue;
    }
    for (let u = 0; u < size; u++, o += 3) {
      const l = left[u] as number;
      const r = right[u] as number;
      const fx = wx[u] as number;
      for (let c = 0; c < 3; c++) {
        const p00 = top >= 0 && l >= 0 ? (rgb[top + l + c] as number) : 0;
        const p10 = top >= 0 && r >= 0 ? (rgb[top + r + c] as number) : 0;
        const p01 = bottom >= 0 && l >= 0 ? (rgb[bottom + l + c] as number) : 0;
        const p11 = bottom >= 0 && r >= 0 ? (rgb[bottom + r + c] as number) : 0;
        const t = p00 + (p10 - p00) * fx;
        out[o + c] = Math.round(t + (p01 + (p11 - p01) * fx - t) * fy);
      }
    }
  }
}

/**
 * The regions the detector looks at: the whole frame, plus, when `tiled`, a 2x2 grid of tiles
 * each `overlap` larger than a quarter (default 0.2: 60% of each side), so a person on a seam
 * is whole in at least one tile or in the full view.
 */
export function detectionRegions(width: number, height: number, tiled: boolean, overlap = 0.2): Region[] {
  const whole: Region = { x: 0, y: 0, width, height };
  if (!tiled) return [whole];
  const tw = Math.min(width, Math.round(width * (0.5 + overlap / 2)));
  const th = Math.min(height, Math.round(height * (0.5 + overlap / 2)));
  const tiles: Region[] = [];
  for (const y of [0, height - th]) for (const x of [0, width - tw]) tiles.push({ x, y, width: tw, height: th });
  return [whole, ...tiles];
}
