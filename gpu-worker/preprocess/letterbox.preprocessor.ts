import sharp from 'sharp';

/** How a frame was fitted into the model input; {@link undoLetterbox} maps points back. */
export interface LetterboxTransform {
  /** Original image size in pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** Model input size. */
  targetWidth: number;
  targetHeight: number;
  /** Size of the resized image inside the target; the rest (right and bottom) is padding. */
  contentWidth: number;
  contentHeight: number;
}

/** An image letterboxed to the model input: packed RGB, HWC, 8 bits. */
export interface LetterboxedImage {
  rgb: Uint8Array;
  transform: LetterboxTransform;
}

/** Options of {@link letterboxImage}. */
export interface LetterboxOptions {
  width: number;
  height: number;
  /**
   * Padding grey level (0-255). Default 0 (MoveNet was trained on zero padding); YOLO
   * exports usually expect 114.
   */
  padValue?: number;
}

/** Raised when an image cannot be decoded (corrupt, truncated, empty, not an image). */
export class ImageDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageDecodeError';
  }
}

/**
 * Decodes an encoded image (JPEG, PNG, WebP) and letterboxes it: scaled to fit inside
 * `width` x `height` keeping its aspect ratio, placed top-left, padded right and bottom.
 * Top-left placement makes the inverse a pure scale. JPEG shrink-on-load keeps decoding
 * large frames cheap. EXIF orientation is ignored: camera frames carry none.
 */
export async function letterboxImage(image: Buffer, options: LetterboxOptions): Promise<LetterboxedImage> {
  if (image.length === 0) throw new ImageDecodeError('empty image');
  try {
    const meta = await sharp(image, { failOn: 'truncated' }).metadata();
    const sourceWidth = meta.width;
    const sourceHeight = meta.height;
    if (!sourceWidth || !sourceHeight) throw new ImageDecodeError('image has no dimensions');
    const scale = Math.min(options.width / sourceWidth, options.height / sourceHeight);
    const contentWidth = Math.max(1, Math.min(options.width, Math.round(sourceWidth * scale)));
    const contentHeight = Math.max(1, Math.min(options.height, Math.round(sourceHeight * scale)));
    const pad = options.padValue ?? 0;
    const { data } = await sharp(image, { failOn: 'truncated' })
      .removeAlpha()
      .toColourspace('srgb')
      .resize(contentWidth, contentHeight, { fit: 'fill', kernel: 'linear' })
      .extend({
        right: options.width - contentWidth,
        bottom: options.height - contentHeight,
        background: { r: pad, g: pad, b: pad },
      })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (data.length !== options.width * options.height * 3) throw new ImageDecodeError(`decoder returned ${data.length} bytes`);
    return {
      rgb: new Uint8Array(data.buffer, data.byteOffset, data.length),
      transform: { sourceWidth, sourceHeight, targetWidth: options.width, targetHeight: options.height, contentWidth, contentHeight },
    };
  } catch (cause) {
    if (cause instanceof ImageDecodeError) throw cause;
    throw new ImageDecodeError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/** Square crop of an encoded image, resized to `size` x `size`, packed RGB HWC. */
export async function cropSquare(
  image: Buffer,
  region: { x: number; y: number; side: number },
  size: number,
): Promise<Uint8Array> {
  try {
    const left = Math.round(region.x);
    const top = Math.round(region.y);
    const side = Math.max(1, Math.round(region.side));
    const { data } = await sharp(image, { failOn: 'truncated' })
      .removeAlpha()
      .toColourspace('srgb')
      .extract({ left, top, width: side, height: side })
      .resize(size, size, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (cause) {
    throw new ImageDecodeError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
