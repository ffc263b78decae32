/**
 * Wire format of the `/ingest` upload socket as the browser speaks it. This file is the one
 * place to align with the server's protocol (`docs/ingest-protocol.md` once written); nothing
 * else in the dashboard knows byte layouts.
 *
 * Frame message (binary, little-endian), version 1:
 *
 * | offset | size | field                                          |
 * | ------ | ---- | ---------------------------------------------- |
 * | 0      | 1    | version = 1                                    |
 * | 1      | 1    | camera id length L (bytes of UTF-8)            |
 * | 2      | 4    | sequence (uint32)                              |
 * | 6      | 8    | capture timestamp, epoch ms (float64)          |
 * | 14     | L    | camera id, UTF-8                               |
 * | 14+L   | rest | JPEG bytes                                     |
 *
 * Ack (server → client): a text message `{"type":"ack","seq":n,"receivedAt":epochMs}`; a
 * binary ack of 4 bytes seq + 8 bytes receivedAt is accepted as well.
 */

export const INGEST_FRAME_VERSION = 1;
const FIXED_HEADER_BYTES = 14;

/** One captured frame to upload. */
export interface IngestFrame {
  readonly cameraId: string;
  readonly seq: number;
  /** Epoch ms at capture. */
  readonly captureTs: number;
  readonly jpeg: Uint8Array;
}

/** The server's receipt for one frame. */
export interface IngestAck {
  readonly seq: number;
  /** Server receive time, epoch ms; NaN when not given. */
  readonly receivedAt: number;
}

/** Protocol violations found while decoding. */
export class IngestCodecError extends Error {
  override readonly name = 'IngestCodecError';
}

const utf8 = new TextEncoder();

/** Encodes a frame message. */
export function encodeIngestFrame(frame: IngestFrame): ArrayBuffer {
  const id = utf8.encode(frame.cameraId);
  if (id.length > 255) throw new IngestCodecError(`expected a camera id of at most 255 bytes, but got ${id.length}`);
  if (!Number.isInteger(frame.seq) || frame.seq < 0 || frame.seq > 0xffffffff) {
    throw new IngestCodecError(`expected 'seq' to be a uint32, but got ${frame.seq}`);
  }
  const buffer = new ArrayBuffer(FIXED_HEADER_BYTES + id.length + frame.jpeg.length);
  const view = new DataView(buffer);
  view.setUint8(0, INGEST_FRAME_VERSION);
  view.setUint8(1, id.length);
  view.setUint32(2, frame.seq, true);
  view.setFloat64(6, frame.captureTs, true);
  const bytes = new Uint8Array(buffer);
  bytes.set(id, FIXED_HEADER_BYTES);
  bytes.set(frame.jpeg, FIXED_HEADER_BYTES + id.length);
  return buffer;
}

/** Decodes a frame message (used by tests and tools that replay captures). */
export function decodeIngestFrame(buffer: ArrayBuffer): IngestFrame {
  if (buffer.byteLength < FIXED_HEADER_BYTES) {
    throw new IngestCodecError(`expected at least ${FIXED_HEADER_BYTES} bytes, but got ${buffer.byteLength}`);
  }
  const view = new DataView(buffer);
  const version = view.getUint8(0);
  if (version !== INGEST_FRAME_VERSION) throw new IngestCodecError(`expected version ${INGEST_FRAME_VERSION}, but got ${version}`);
  const idLength = view.getUint8(1);
  const bytes = new Uint8Array(buffer);
  return {
    seq: view.getUint32(2, true),
    captureTs: view.getFloat64(6, true),
    cameraId: new TextDecoder().decode(bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + idLength)),
    jpeg: bytes.slice(FIXED_HEADER_BYTES + idLength),
  };
}

/** Decodes an ack, or returns null for messages that are not acks (errors, hellos). */
export function decodeIngestAck(data: string | ArrayBuffer): IngestAck | null {
  if (typeof data !== 'string') {
    if (data.byteLength < 12) return null;
    const view = new DataView(data);
    return { seq: view.getUint32(0, true), receivedAt: view.getFloat64(4, true) };
  }
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const m = message as Record<string, unknown>;
  if ((m.type !== undefined && m.type !== 'ack') || typeof m.seq !== 'number') return null;
  const receivedAt = m.receivedAt ?? m.serverReceivedAt ?? m.at;
  return { seq: m.seq, receivedAt: typeof receivedAt === 'number' ? receivedAt : Number.NaN };
}

/**
 * The socket URL for a camera. Browsers cannot set headers on a WebSocket, so the access
 * token travels as a query parameter (over TLS on a LAN; never logged by the dashboard).
 */
export function ingestSocketUrl(baseUrl: string, cameraId: string, accessToken: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('cameraId', cameraId);
  url.searchParams.set('token', accessToken);
  return url.href;
}
