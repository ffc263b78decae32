import { decodeIngestAck, decodeIngestFrame, encodeIngestFrame, IngestCodecError, ingestSocketUrl } from './ingest-frame-codec';

describe('ingest frame codec', () => {
  it.each([
    { cameraId: '3f0c8a4e-1b2c-4d5e-8f90-0123456789ab', seq: 0, captureTs: 1_700_000_000_123.5, size: 0 },
    { cameraId: 'kamera-ü', seq: 0xffffffff, captureTs: 0, size: 3000 },
  ])('round-trips camera $cameraId seq $seq', ({ cameraId, seq, captureTs, size }) => {
    const jpeg = Uint8Array.from({ length: size }, (_, i) => i % 251);
    const decoded = decodeIngestFrame(encodeIngestFrame({ cameraId, seq, captureTs, jpeg }));
    expect(decoded).toEqual({ cameraId, seq, captureTs, jpeg });
  });

  it.each([
    { seq: -1, cameraId: 'c', message: "expected 'seq' to be a uint32, but got -1" },
    { seq: 1.5, cameraId: 'c', message: "expected 'seq' to be a uint32, but got 1.5" },
    { seq: 1, cameraId: 'x'.repeat(256), message: 'expected a camera id of at most 255 bytes, but got 256' },
  ])('refuses $message', ({ seq, cameraId, message }) => {
    expect(() => encodeIngestFrame({ cameraId, seq, captureTs: 0, jpeg: new Uint8Array() })).toThrow(new IngestCodecError(message));
  });

  it('refuses a short or foreign message', () => {
    expect(() => decodeIngestFrame(new ArrayBuffer(3))).toThrow('expected at least 14 bytes, but got 3');
    const wrongVersion = new Uint8Array(14);
    wrongVersion[0] = 9;
    expect(() => decodeIngestFrame(wrongVersion.buffer)).toThrow('expected version 1, but got 9');
  });

  it.each([
    { data: '{"type":"ack","seq":4,"receivedAt":1700}', expected: { seq: 4, receivedAt: 1700 } },
    { data: '{"seq":5,"serverReceivedAt":1800}', expected: { seq: 5, receivedAt: 1800 } },
    { data: '{"type":"error","message":"nope"}', expected: null },
    { data: 'not json', expected: null },
  ])('decodes the ack $data', ({ data, expected }) => {
    expect(decodeIngestAck(data)).toEqual(expected);
  });

  it('decodes a binary ack', () => {
    const buffer = new ArrayBuffer(12);
    new DataView(buffer).setUint32(0, 9, true);
    new DataView(buffer).setFloat64(4, 1234.5, true);
    expect(decodeIngestAck(buffer)).toEqual({ seq: 9, receivedAt: 1234.5 });
  });

  it('puts camera and token in the socket URL', () => {
    const url = new URL(ingestSocketUrl('ws://localhost:4000/ingest', 'cam 1', 'tok'));
    expect([url.pathname, url.searchParams.get('cameraId'), url.searchParams.get('token')]).toEqual(['/ingest', 'cam 1', 'tok']);
  });
});
