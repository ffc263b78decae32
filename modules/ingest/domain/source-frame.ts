/** One encoded frame as a source produced it, before admission. */
export interface SourceFrame {
  cameraId: string;
  /** Per-camera sequence number assigned by the source, strictly increasing from 0. */
  seq: number;
  /**
   * Capture time in epoch milliseconds. File sources derive it from the real presentation
   * timestamp (start time + pts); network and simulated sources from the receive clock; upload
   * clients send their own (admission tolerates their clock drift).
   */
  captureTs: number;
  /** The JPEG bytes (SOI..EOI). */
  jpeg: Buffer;
  width: number;
  height: number;
  /** Presentation timestamp in ms from the start of the stream, when the source knows one. */
  ptsMs?: number;
}
