/**
 * Splits a byte stream of concatenated JPEGs (ffmpeg's `image2pipe` with the `mjpeg` encoder)
 * into whole images on SOI (FF D8) / EOI (FF D9). Inside entropy-coded data every 0xFF is
 * stuffed (FF 00) or a restart marker (FF D0-D7), so FF D9 only ends an image; ffmpeg's mjpeg
 * encoder writes no embedded thumbnails that could contain one.
 */
export class JpegStreamSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of `pending` already searched for EOI (resume there; keep one byte for a split marker). */
  private scanned = 0;

  /**
   * @param maxFrameBytes a frame larger than this is discarded (a corrupt stream must not grow
   *   memory without bound). Default 16 MiB.
   */
  constructor(private readonly maxFrameBytes = 16 * 1024 * 1024) {}

  /** Feeds a chunk; returns the images it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const start = this.pending.indexOf(SOI_MARKER);
      if (start < 0) {
        this.pending = this.pending.subarray(Math.max(0, this.pending.length - 1));
        this.scanned = 0;
        return out;
      }
      if (start > 0) {
        this.scanned = Math.max(0, this.scanned - start);
        this.pending = this.pending.subarray(start);
      }
      const end = this.pending.indexOf(EOI_MARKER, Math.max(2, this.scanned));
      if (end < 0) {
        this.scanned = Math.max(2, this.pending.length - 1);
        if (this.pending.length > this.maxFrameBytes) {
          this.pending = Buffer.alloc(0);
          this.scanned = 0;
        }
        return out;
      }
      // Copy: the frame outlives this chunk (buffers, Redis), and must not pin the pipe's slab.
      out.push(Buffer.from(this.pending.subarray(0, end + 2)));
      this.pending = this.pending.subarray(end + 2);
      this.scanned = 0;
    }
  }

  /** Bytes held waiting for the rest of an image. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}

const SOI_MARKER = Buffer.from([0xff, 0xd8]);
const EOI_MARKER = Buffer.from([0xff, 0xd9]);

/** Width and height from a JPEG's SOFn segment, or null when the header does not parse. */
export function readJpegSize(jpeg: Buffer): { width: number; height: number } | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let pos = 2;
  while (pos + 9 < jpeg.length) {
    if (jpeg[pos] !== 0xff) return null;
    const marker = jpeg[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    const length = jpeg.readUInt16BE(pos + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: jpeg.readUInt16BE(pos + 5), width: jpeg.readUInt16BE(pos + 7) };
    if (marker === 0xda) return null;
    pos += 2 + length;
  }
  return null;
}
