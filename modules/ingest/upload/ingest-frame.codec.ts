import type { DropReason } from '@trinetra/shared';

/** Version byte of the frame message this server speaks (docs/ingest-protocol.md). */
export const INGEST_FRAME_VERSION = 1;
/** version u8 + idLen u8 + seq u32 + captureTs f64. */
export const INGEST_FIXED_HEADER_BYTES = 14;
/** Largest header: the fixed part plus a 255-byte camera id. */
export const INGEST_MAX_HEADER_BYTES = INGEST_FIXED_HEADER_BYTES + 255;

/** One frame message as the client sent it. */
export interface IngestFrameMessage {
  version: number;
  cameraId: string;
  seq: number;
  /** Client capture time, epoch ms. */
  captureTs: number;
  /** A view into the message (not copied). */
  jpeg: Buffer;
}

/** Why a binary message is not a frame; each is a `code` of the `error` message. */
export type FrameDecodeErrorCode = 'truncated_header' | 'unsupported_version' | 'bad_camera_id' | 'bad_timestamp' | 'empty_payload' | 'not_jpeg';

export type FrameDecodeResult = { ok: true; frame: IngestFrameMessage } | { ok: false; code: FrameDecodeErrorCode; message: string; seq?: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes one binary frame message (pure, no copy of the JPEG). Errors say what was expected
 * and what arrived, and carry the sequence when the header got that far.
 */
export function decodeFrameMessage(data: Buffer): FrameDecodeResult {
  if (data.length < INGEST_FIXED_HEADER_BYTES) {
    return { ok: false, code: 'truncated_header', message: `expected at least ${INGEST_FIXED_HEADER_BYTES} header bytes, but got ${data.length}` };
  }
  const version = data.readUInt8(0);
  if (version !== INGEST_FRAME_VERSION) return { ok: false, code: 'unsupported_version', message: `expected version ${INGEST_FRAME_VERSION}, but got ${version}` };
  const idLength = data.readUInt8(1);
  const seq = data.readUInt32LE(2);
  const captureTs = data.readDoubleLE(6);
  if (!Number.isFinite(captureTs) || captureTs < 0) return { ok: false, code: 'bad_timestamp', message: `expected 'captureTs' to be a finite epoch ms >= 0, but got ${captureTs}`, seq };
  const payloadStart = INGEST_FIXED_HEADER_BYTES + idLength;
  if (data.length < payloadStart) {
    return { ok: false, code: 'truncated_header', message: `expected a ${idLength}-byte camera id, but only ${data.length - INGEST_FIXED_HEADER_BYTES} bytes follow the header`, seq };
  }
  let cameraId: string;
  try {
    cameraId = utf8.decode(data.subarray(INGEST_FIXED_HEADER_BYTES, payloadStart));
  } catch {
    return { ok: false, code: 'bad_camera_id', message: 'expected the camera id to be UTF-8, but it is not', seq };
  }
  const jpeg = data.subarray(payloadStart);
  if (jpeg.length === 0) return { ok: false, code: 'empty_payload', message: 'expected JPEG bytes after the header, but got none', seq };
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
    return { ok: false, code: 'not_jpeg', message: `expected a JPEG (FF D8), but the payload starts with ${jpeg.subarray(0, 2).toString('hex') || 'nothing'}`, seq };
  }
  return { ok: true, frame: { version, cameraId, seq, captureTs, jpeg } };
}

/** Encodes a frame message (clients, tests and the benchmark). */
export function encodeFrameMessage(frame: { cameraId: string; seq: number; captureTs: number; jpeg: Uint8Array }): Buffer {
  const id = Buffer.from(frame.cameraId, 'utf8');
  if (id.length > 255) throw new RangeError(`expected a camera id of at most 255 bytes, but got ${id.length}`);
  if (!Number.isInteger(frame.seq) || frame.seq < 0 || frame.seq > 0xffffffff) throw new RangeError(`expected 'seq' to be a uint32, but got ${frame.seq}`);
  const out = Buffer.allocUnsafe(INGEST_FIXED_HEADER_BYTES + id.length + frame.jpeg.length);
  out.writeUInt8(INGEST_FRAME_VERSION, 0);
  out.writeUInt8(id.length, 1);
  out.writeUInt32LE(frame.seq, 2);
  out.writeDoubleLE(frame.captureTs, 6);
  id.copy(out, INGEST_FIXED_HEADER_BYTES);
  out.set(frame.jpeg, INGEST_FIXED_HEADER_BYTES + id.length);
  return out;
}

/** Server -> client: the receipt of one frame. */
export interface IngestAckMessage {
  type: 'ack';
  seq: number;
  /** Server receive time, epoch ms (before any processing): clients estimate offset and RTT from it. */
  receivedAt: number;
  admitted: boolean;
  /** Why the frame was not admitted. */
  reason?: DropReason;
}

/** Server -> client: sent once after the connection is authorized. */
export interface IngestReadyMessage {
  type: 'ready';
  cameraId: string;
  /** Sustained frames/s this connection may send, and the burst above it. */
  ratePerS: number;
  burst: number;
  /** Largest JPEG accepted, bytes. */
  maxFrameBytes: number;
  serverTime: number;
}

/** Codes of the `error` message. */
export type IngestErrorMessageCode = FrameDecodeErrorCode | 'camera_mismatch' | 'text_not_supported' | 'internal';

/** Server -> client: a frame or message the server could not take. */
export interface IngestErrorMessage {
  type: 'error';
  code: IngestErrorMessageCode;
  message: string;
  seq?: number;
}

export type IngestServerMessage = IngestAckMessage | IngestReadyMessage | IngestErrorMessage;
