import { ManualClock } from '@trinetra/shared';
import { decodeIngestAck, decodeIngestFrame, encodeIngestFrame } from '../../../web/features/webcam/ingest/ingest-frame-codec';
import type { SourceFrame } from '../domain/source-frame';
import type { FrameSink, FrameSinkContext, FrameSinkResult } from './frame-sink';
import { IngestCloseCode } from './ingest-close-code';
import { decodeFrameMessage, encodeFrameMessage, type IngestServerMessage } from './ingest-frame.codec';
import { UploadSession, type UploadSessionOptions } from './upload-session';

const CAMERA = '3f1c2b8e-0000-4000-8000-000000000001';
/** Smallest JPEG-looking payload: SOI, an SOF0 segment with 640x480, EOI. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9]);

const frame = (seq: number, overrides: Partial<{ cameraId: string; captureTs: number; jpeg: Uint8Array }> = {}): Buffer =>
  encodeFrameMessage({ cameraId: CAMERA, seq, captureTs: 1_700_000_000_000 + seq * 33, jpeg: JPEG, ...overrides });

function setup(options: Partial<UploadSessionOptions> = {}, result: (f: SourceFrame) => FrameSinkResult = () => ({ admitted: true })) {
  const clock = new ManualClock(1_000_000);
  const sent: IngestServerMessage[] = [];
  const closes: Array<{ code: number; reason: string }> = [];
  const submitted: Array<{ frame: SourceFrame; ctx: FrameSinkContext }> = [];
  const sink: FrameSink = {
    submit: async (f, ctx) => {
      submitted.push({ frame: f, ctx });
      return result(f);
    },
  };
  const session = new UploadSession(
    { send: (t) => sent.push(JSON.parse(t) as IngestServerMessage), close: (code, reason) => closes.push({ code, reason }) },
    { tenantId: 't1', cameraId: CAMERA, tier: 'LIVE' },
    sink,
    { clock, ...options },
  );
  return { clock, sent, closes, submitted, session, acks: () => sent.filter((m) => m.type === 'ack'), errors: () => sent.filter((m) => m.type === 'error') };
}

describe('frame message codec', () => {
  it('decodes what the dashboard client encodes, and the client decodes what we encode', () => {
    const fromClient = Buffer.from(encodeIngestFrame({ cameraId: CAMERA, seq: 42, captureTs: 1_700_000_000_123.5, jpeg: JPEG }));
    const decoded = decodeFrameMessage(fromClient);
    expect(decoded.ok && { ...decoded.frame, jpeg: [...decoded.frame.jpeg] }).toEqual({ version: 1, cameraId: CAMERA, seq: 42, captureTs: 1_700_000_000_123.5, jpeg: [...JPEG] });
    const ours = encodeFrameMessage({ cameraId: 'kamera-ü', seq: 7, captureTs: 5, jpeg: JPEG });
    const back = decodeIngestFrame(ours.buffer.slice(ours.byteOffset, ours.byteOffset + ours.length) as ArrayBuffer);
    expect([back.cameraId, back.seq, back.captureTs, back.jpeg.length]).toEqual(['kamera-ü', 7, 5, JPEG.length]);
  });

  it.each([
    ['too short', 'truncated_header', () => Buffer.from([1, 0, 0])],
    ['version 2', 'unsupported_version', () => Buffer.concat([Buffer.from([2]), frame(1).subarray(1)])],
    ['id longer than the message', 'truncated_header', () => Buffer.concat([frame(1).subarray(0, 1), Buffer.from([200]), frame(1).subarray(2, 20)])],
    ['NaN timestamp', 'bad_timestamp', () => frame(1, { captureTs: Number.NaN })],
    ['no payload', 'empty_payload', () => frame(1, { jpeg: new Uint8Array() })],
    ['a PNG payload', 'not_jpeg', () => frame(1, { jpeg: Buffer.from('89504e470d0a1a0a', 'hex') })],
  ])('refuses %s with %s', (_name, code, message) => {
    const result = decodeFrameMessage(message());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });
});

describe('UploadSession', () => {
  it('acks every frame in order with the receive time, admitted flag and reason', async () => {
    const s = setup({}, (f) => (f.seq === 2 ? { admitted: false, reason: 'out_of_order' } : { admitted: true }));
    await s.session.receive(frame(1), true);
    s.clock.advance(40);
    await s.session.receive(frame(2), true);
    expect(s.acks()).toEqual([
      { type: 'ack', seq: 1, receivedAt: 1_000_000, admitted: true },
      { type: 'ack', seq: 2, receivedAt: 1_000_040, admitted: false, reason: 'out_of_order' },
    ]);
    expect(s.submitted[0]?.frame).toMatchObject({ cameraId: CAMERA, seq: 1, width: 640, height: 480 });
    expect(s.submitted[0]?.ctx).toEqual({ tenantId: 't1', cameraId: CAMERA, tier: 'LIVE' });
    // The client's decoder reads our acks.
    expect(decodeIngestAck(JSON.stringify(s.acks()[0]))).toEqual({ seq: 1, receivedAt: 1_000_000 });
  });

  it('suppresses frames over the connection rate without reaching the sink', async () => {
    const s = setup({ ratePerS: 10, burst: 2 });
    for (let seq = 1; seq <= 4; seq++) await s.session.receive(frame(seq), true);
    s.clock.advance(100);
    await s.session.receive(frame(5), true);
    expect(s.acks().map((a) => a.type === 'ack' && [a.seq, a.admitted, a.reason ?? null])).toEqual([
      [1, true, null], [2, true, null], [3, false, 'burst_suppressed'], [4, false, 'burst_suppressed'], [5, true, null],
    ]);
    expect(s.submitted.map((x) => x.frame.seq)).toEqual([1, 2, 5]);
    expect(s.closes).toEqual([]);
  });

  it.each([
    ['one abusive window, then a clean one', [30, 1, 30], []],
    ['three abusive windows in a row', [30, 30, 30], [IngestCloseCode.TooManyRequests]],
  ])('rate abuse: %s', async (_name, perWindow, codes) => {
    const s = setup({ ratePerS: 10, burst: 10, abuseWindowMs: 1000, maxAbuseWindows: 3 });
    let seq = 0;
    for (const count of perWindow) {
      for (let i = 0; i < count; i++) await s.session.receive(frame(++seq), true);
      s.clock.advance(1000);
    }
    expect(s.closes.map((c) => c.code)).toEqual(codes);
  });

  it('answers each malformed message with a typed error and closes 4400 after the limit', async () => {
    const s = setup({ maxMalformed: 2 });
    await s.session.receive(Buffer.from('hello'), false);
    await s.session.receive(frame(1, { cameraId: 'another-camera' }), true);
    expect(s.closes).toEqual([]);
    await s.session.receive(Buffer.from([9, 9]), true);
    expect(s.errors().map((e) => e.type === 'error' && e.code)).toEqual(['text_not_supported', 'camera_mismatch', 'truncated_header']);
    expect(s.errors()[1]).toMatchObject({ seq: 1, message: expect.stringContaining(`expected camera id ${CAMERA}`) });
    expect(s.closes.map((c) => c.code)).toEqual([IngestCloseCode.BadRequest]);
    await s.session.receive(frame(2), true);
    expect(s.submitted).toEqual([]);
  });

  it('closes 1009 on a frame above the size bound', async () => {
    const s = setup({ maxFrameBytes: 16 });
    await s.session.receive(frame(1, { jpeg: Buffer.concat([JPEG, Buffer.alloc(10)]) }), true);
    expect(s.closes.map((c) => c.code)).toEqual([IngestCloseCode.MessageTooBig]);
  });

  it('turns a sink fault into an error message and a refused ack, and keeps going', async () => {
    const s = setup({}, (f) => {
      if (f.seq === 1) throw new Error('boom');
      return { admitted: true };
    });
    await s.session.receive(frame(1), true);
    await s.session.receive(frame(2), true);
    expect(s.sent.map((m) => m.type)).toEqual(['error', 'ack', 'ack']);
    expect(s.acks().map((a) => a.type === 'ack' && a.admitted)).toEqual([false, true]);
  });

  it('closes 4421 after the refused ack when the sink says another replica owns the camera, and takes nothing more', async () => {
    const s = setup({}, () => ({ admitted: false, reason: 'camera_stopped', close: { code: IngestCloseCode.NotOwner, reason: 'camera owned by another replica: reconnect' } }));
    await s.session.receive(frame(1), true);
    await s.session.receive(frame(2), true);
    expect(s.acks()).toEqual([expect.objectContaining({ seq: 1, admitted: false, reason: 'camera_stopped' })]);
    expect(s.closes).toEqual([{ code: 4421, reason: 'camera owned by another replica: reconnect' }]);
    expect(s.submitted.map((x) => x.frame.seq)).toEqual([1]);
  });
});
