import sharp from 'sharp';

/**
 * Low-resolution JPEG previews for `frameResults`, at most `fps` per camera: enough for the
 * dashboard to show what the camera sees under the skeletons, without sending every frame.
 */
export class PreviewThrottle {
  private lastAt = 0;
  private readonly intervalMs: number;

  constructor(
    fps: number,
    private readonly width: number,
  ) {
    this.intervalMs = 1000 / fps;
  }

  /** A data URL of `jpeg` scaled down, or null when the last preview is too recent. */
  async render(jpeg: Buffer | null, now: number): Promise<string | null> {
    if (!jpeg || now - this.lastAt < this.intervalMs) return null;
    this.lastAt = now;
    const small = await sharp(jpeg).resize({ width: this.width, withoutEnlargement: true }).jpeg({ quality: 50 }).toBuffer();
    return `data:image/jpeg;base64,${small.toString('base64')}`;
  }
}
