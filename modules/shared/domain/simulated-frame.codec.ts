/**
 * Simulated frames: real JPEGs that carry their own ground truth in JPEG comment (COM, 0xFFFE)
 * segments. The simulator renders one background JPEG and splices a fresh comment per frame,
 * which costs one buffer copy, so it can emit thousands of frames per second; any JPEG decoder
 * (a real model, the dashboard preview) ignores the comment, and the gpu-worker's `simulated`
 * backend reads it back with {@link decodeSimulatedTruth}.
 *
 * Wire format of one segment: `FF FE <len:u16 BE> "TRSIM1" <index:u8> <count:u8> <utf-8 JSON slice>`.
 * Truth larger than one segment (64 KiB) is split across consecutive segments.
 */
import { ApiErrorCode, AppError } from './app-error';

/** Axis-aligned box in image pixels. */
export interface SimulatedBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A keypoint in image pixels; `score` is 0 for a keypoint hidden by an occluder. */
export interface SimulatedKeypoint {
  x: number;
  y: number;
  score: number;
}

/** One synthetic person as the simulator drew it. */
export interface SimulatedPerson {
  /** Stable identity across frames (ground truth for tracking). */
  id: number;
  box: SimulatedBox;
  /** The 17 COCO keypoints in COCO order. */
  keypoints: SimulatedKeypoint[];
  /** Fraction of the body visible (1 = unoccluded, 0 = fully hidden). */
  visibility: number;
}

/** Everything a simulated frame knows about itself. */
export interface SimulatedTruth {
  width: number;
  height: number;
  persons: SimulatedPerson[];
}

const SOI = 0xd8;
const SOS = 0xda;
const EOI = 0xd9;
const COM = 0xfe;
const MAGIC = Buffer.from('TRSIM1', 'ascii');
const HEADER_BYTES = MAGIC.length + 2;
/** Segment length field counts itself (2 bytes); 0xFFFF is the maximum. */
const MAX_PAYLOAD = 0xffff - 2 - HEADER_BYTES;
const MAX_SEGMENTS = 255;

/** Thrown when the base image is not a JPEG the codec can splice into (a programming fault). */
export class SimulatedFrameCodecError extends AppError {
  readonly apiCode = ApiErrorCode.INTERNAL;
}

interface Segment {
  marker: number;
  /** Offset of the 0xFF that starts the segment. */
  start: number;
  /** Offset just past the segment. */
  end: number;
}

/** Walks the marker segments between SOI and SOS (the header; never the entropy-coded data). */
function headerSegments(jpeg: Buffer): Segment[] | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) return null;
  const segments: Segment[] = [];
  let pos = 2;
  while (pos + 4 <= jpeg.length) {
    if (jpeg[pos] !== 0xff) return null;
    let markerPos = pos + 1;
    while (jpeg[markerPos] === 0xff && markerPos < jpeg.length) markerPos += 1;
    const marker = jpeg[markerPos];
    if (marker === undefined || marker === EOI) return null;
    if (marker === SOS) {
      segments.push({ marker, start: pos, end: pos });
      return segments;
    }
    const length = jpeg.readUInt16BE(markerPos + 1);
    const end = markerPos + 1 + length;
    if (length < 2 || end > jpeg.length) return null;
    segments.push({ marker, start: pos, end });
    pos = end;
  }
  return null;
}

function isTruthSegment(jpeg: Buffer, segment: Segment): boolean {
  const payload = segment.start + 4;
  return segment.marker === COM && segment.end - payload >= HEADER_BYTES && jpeg.compare(MAGIC, 0, MAGIC.length, payload, payload + MAGIC.length) === 0;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Compact JSON: pixel coordinates to 0.1 px and scores to 0.01 keep a 20-person frame near 10 KB. */
function serializeTruth(truth: SimulatedTruth): Buffer {
  const compact = {
    w: truth.width,
    h: truth.height,
    p: truth.persons.map((p) => [
      p.id,
      round2(p.visibility),
      round1(p.box.x),
      round1(p.box.y),
      round1(p.box.width),
      round1(p.box.height),
      p.keypoints.flatMap((k) => [round1(k.x), round1(k.y), round2(k.score)]),
    ]),
  };
  return Buffer.from(JSON.stringify(compact), 'utf8');
}

/**
 * Returns `baseJpeg` with `truth` spliced in as COM segment(s) right after the APPn segments
 * (where JFIF/Exif readers expect them to end). Any truth segments already in the base are
 * replaced, so re-encoding a simulated frame is safe.
 * @throws SimulatedFrameCodecError when `baseJpeg` is not a parsable JPEG or the truth exceeds 16 MB.
 */
export function encodeSimulatedFrame(baseJpeg: Buffer, truth: SimulatedTruth): Buffer {
  const segments = headerSegments(baseJpeg);
  if (!segments) throw new SimulatedFrameCodecError('base image is not a JPEG with a parsable header');
  let insertAt = 2;
  for (const s of segments) {
    if (s.marker >= 0xe0 && s.marker <= 0xef) insertAt = s.end;
    else break;
  }
  const json = serializeTruth(truth);
  const count = Math.max(1, Math.ceil(json.length / MAX_PAYLOAD));
  if (count > MAX_SEGMENTS) throw new SimulatedFrameCodecError(`truth of ${json.length} bytes does not fit in ${MAX_SEGMENTS} segments`);

  const parts: Buffer[] = [baseJpeg.subarray(0, insertAt)];
  for (let i = 0; i < count; i += 1) {
    const slice = json.subarray(i * MAX_PAYLOAD, (i + 1) * MAX_PAYLOAD);
    const header = Buffer.allocUnsafe(4 + HEADER_BYTES);
    header[0] = 0xff;
    header[1] = COM;
    header.writeUInt16BE(2 + HEADER_BYTES + slice.length, 2);
    MAGIC.copy(header, 4);
    header[4 + MAGIC.length] = i;
    header[5 + MAGIC.length] = count;
    parts.push(header, slice);
  }
  let rest = insertAt;
  for (const s of segments) {
    if (s.start < insertAt || !isTruthSegment(baseJpeg, s)) continue;
    parts.push(baseJpeg.subarray(rest, s.start));
    rest = s.end;
  }
  parts.push(baseJpeg.subarray(rest));
  return Buffer.concat(parts);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function parseTruth(json: string): SimulatedTruth | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { w, h, p } = raw as { w?: unknown; h?: unknown; p?: unknown };
  if (!isFiniteNumber(w) || !isFiniteNumber(h) || !Array.isArray(p)) return null;
  const persons: SimulatedPerson[] = [];
  for (const entry of p as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 7) return null;
    const [id, visibility, x, y, width, height, flat] = entry as unknown[];
    if (![id, visibility, x, y, width, height].every(isFiniteNumber) || !Array.isArray(flat) || flat.length % 3 !== 0) return null;
    if (!flat.every(isFiniteNumber)) return null;
    const kp = flat as number[];
    const keypoints: SimulatedKeypoint[] = [];
    for (let i = 0; i < kp.length; i += 3) keypoints.push({ x: kp[i] as number, y: kp[i + 1] as number, score: kp[i + 2] as number });
    persons.push({
      id: id as number,
      visibility: visibility as number,
      box: { x: x as number, y: y as number, width: width as number, height: height as number },
      keypoints,
    });
  }
  return { width: w, height: h, persons };
}

/**
 * Reads the ground truth a simulated frame carries. Returns null for a JPEG without truth
 * (a real camera frame), for bytes that are not a JPEG, and for damaged or incomplete truth;
 * never throws, so one bad frame cannot fail a worker's batch.
 */
export function decodeSimulatedTruth(jpeg: Buffer): SimulatedTruth | null {
  const segments = headerSegments(jpeg);
  if (!segments) return null;
  const slices: Buffer[] = [];
  let expected = -1;
  for (const s of segments) {
    if (!isTruthSegment(jpeg, s)) continue;
    const index = jpeg[s.start + 4 + MAGIC.length] as number;
    const count = jpeg[s.start + 5 + MAGIC.length] as number;
    if (expected === -1) expected = count;
    if (count !== expected || index !== slices.length) return null;
    slices.push(jpeg.subarray(s.start + 4 + HEADER_BYTES, s.end));
  }
  if (slices.length === 0 || slices.length !== expected) return null;
  return parseTruth(Buffer.concat(slices).toString('utf8'));
}
