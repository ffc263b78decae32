/**
 * The live view's one data type: a processed frame's tracks in frame pixel coordinates.
 * `fromFrameResultMessage` is the only place that knows the wire shape.
 */

export interface Keypoint {
  readonly x: number;
  readonly y: number;
  readonly score: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface TrackResult {
  readonly trackId: string;
  readonly box: Box;
  readonly keypoints: readonly Keypoint[];
  readonly quality: number | null;
}

/** What produced a result's detections: `simulated` ground truth or an `onnx` model. */
export interface Provenance {
  readonly backend: string;
  readonly model: string;
}

export interface FrameResult {
  readonly cameraId: string;
  readonly seq: number;
  /** Capture time, epoch ms; NaN when the server sent none. */
  readonly captureTs: number;
  /** Frame size in pixels; coordinates below are in this space. */
  readonly width: number;
  readonly height: number;
  readonly tracks: readonly TrackResult[];
  readonly preview: string | null;
  /** Null when the server sent none. */
  readonly provenance: Provenance | null;
}

/** Wire shape accepted by {@link fromFrameResultMessage} (see `../graphql.ts`). */
export interface FrameResultWire {
  cameraId: string;
  seq: number;
  captureTs: number | string | null;
  width: number | null;
  height: number | null;
  tracks: ReadonlyArray<{
    trackId: string | number;
    box: Box;
    keypoints: readonly Keypoint[];
    quality: number | null;
  }>;
  preview: string | null;
  provenance?: Provenance | null;
}

/** Frame size assumed when the server sends none. */
export const DEFAULT_FRAME_SIZE = { width: 640, height: 480 } as const;

function parseTimestamp(value: number | string | null): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const asNumber = Number(value);
    return Number.isFinite(asNumber) ? asNumber : Date.parse(value);
  }
  return Number.NaN;
}

/**
 * True when every box fits in the unit square, i.e. the server sent normalized coordinates.
 * A frame with no tracks counts as pixel space (nothing to scale).
 */
export function looksNormalized(tracks: FrameResultWire['tracks']): boolean {
  return tracks.length > 0 && tracks.every((t) => t.box.x + t.box.width <= 1.001 && t.box.y + t.box.height <= 1.001);
}

/** Converts a wire message to a {@link FrameResult} in frame pixel coordinates. */
export function fromFrameResultMessage(message: FrameResultWire): FrameResult {
  const width = message.width && message.width > 0 ? message.width : DEFAULT_FRAME_SIZE.width;
  const height = message.height && message.height > 0 ? message.height : DEFAULT_FRAME_SIZE.height;
  const sx = looksNormalized(message.tracks) ? width : 1;
  const sy = looksNormalized(message.tracks) ? height : 1;
  return {
    cameraId: message.cameraId,
    seq: message.seq,
    captureTs: parseTimestamp(message.captureTs),
    width,
    height,
    preview: message.preview,
    provenance: message.provenance ?? null,
    tracks: message.tracks.map((t) => ({
      trackId: String(t.trackId),
      quality: t.quality,
      box: { x: t.box.x * sx, y: t.box.y * sy, width: t.box.width * sx, height: t.box.height * sy },
      keypoints: t.keypoints.map((k) => ({ x: k.x * sx, y: k.y * sy, score: k.score })),
    })),
  };
}
