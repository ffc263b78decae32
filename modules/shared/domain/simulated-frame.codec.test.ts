import { decodeSimulatedTruth, encodeSimulatedFrame, SimulatedFrameCodecError, type SimulatedPerson, type SimulatedTruth } from './simulated-frame.codec';

/** A 16x8 baseline JPEG (sharp output, no APPn segments). */
const BASE = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJ4BYz//2Q==',
  'base64',
);

/** The same JPEG with a JFIF APP0 segment after SOI, as most encoders write it. */
const APP0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
const BASE_WITH_APP0 = Buffer.concat([BASE.subarray(0, 2), APP0, BASE.subarray(2)]);

function person(id: number, overrides: Partial<SimulatedPerson> = {}): SimulatedPerson {
  return {
    id,
    visibility: 1,
    box: { x: 10 + id, y: 20, width: 40, height: 120 },
    keypoints: Array.from({ length: 17 }, (_, k) => ({ x: 30 + k, y: 25 + k * 6, score: k % 5 === 0 ? 0 : 0.9 })),
    ...overrides,
  };
}

function truth(count: number): SimulatedTruth {
  return { width: 640, height: 480, persons: Array.from({ length: count }, (_, i) => person(i + 1)) };
}

describe('simulated frame codec', () => {
  it.each([
    ['no persons', truth(0)],
    ['one person', truth(1)],
    ['twenty persons', truth(20)],
    ['partly occluded', { width: 320, height: 240, persons: [person(7, { visibility: 0.35 })] }],
  ])('round-trips %s', (_name, t) => {
    const frame = encodeSimulatedFrame(BASE, t);
    expect(decodeSimulatedTruth(frame)).toEqual(t);
    expect(frame.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(frame.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('keeps the image bytes intact and only adds a COM segment', () => {
    const frame = encodeSimulatedFrame(BASE, truth(2));
    expect(frame[2]).toBe(0xff);
    expect(frame[3]).toBe(0xfe);
    const comLength = frame.readUInt16BE(4);
    expect(Buffer.concat([frame.subarray(0, 2), frame.subarray(4 + comLength)])).toEqual(BASE);
  });

  it('splices after APPn segments so JFIF readers still find APP0 first', () => {
    const frame = encodeSimulatedFrame(BASE_WITH_APP0, truth(1));
    expect(frame.subarray(2, 2 + APP0.length)).toEqual(APP0);
    expect(frame[2 + APP0.length + 1]).toBe(0xfe);
    expect(decodeSimulatedTruth(frame)).toEqual(truth(1));
  });

  it('splits truth larger than one segment over several COM segments', () => {
    const big = truth(400);
    const frame = encodeSimulatedFrame(BASE, big);
    expect(frame.length).toBeGreaterThan(70_000);
    expect(decodeSimulatedTruth(frame)).toEqual(big);
  });

  it('replaces truth already present instead of stacking it', () => {
    const once = encodeSimulatedFrame(BASE, truth(3));
    const twice = encodeSimulatedFrame(once, truth(1));
    expect(decodeSimulatedTruth(twice)).toEqual(truth(1));
    expect(twice.length).toBeLessThan(once.length);
  });

  it('rounds coordinates to 0.1 px and scores to 0.01', () => {
    const t: SimulatedTruth = { width: 10, height: 10, persons: [person(1, { box: { x: 1.2345, y: 2.06, width: 3, height: 4 }, visibility: 0.333 })] };
    const decoded = decodeSimulatedTruth(encodeSimulatedFrame(BASE, t));
    expect(decoded?.persons[0]?.box).toEqual({ x: 1.2, y: 2.1, width: 3, height: 4 });
    expect(decoded?.persons[0]?.visibility).toBe(0.33);
  });

  const withCom = (payload: Buffer): Buffer => {
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([BASE.subarray(0, 2), header, payload, BASE.subarray(2)]);
  };

  it.each([
    ['a plain camera JPEG', BASE],
    ['an empty buffer', Buffer.alloc(0)],
    ['a PNG signature', Buffer.from('89504e470d0a1a0a0000', 'hex')],
    ['a truncated frame', encodeSimulatedFrame(BASE, truth(2)).subarray(0, 30)],
    ['a foreign COM segment', withCom(Buffer.from('created by some camera'))],
    ['damaged JSON', withCom(Buffer.concat([Buffer.from('TRSIM1'), Buffer.from([0, 1]), Buffer.from('{"w":1,')]))],
    ['a wrong shape', withCom(Buffer.concat([Buffer.from('TRSIM1'), Buffer.from([0, 1]), Buffer.from('{"w":1,"h":1,"p":[[1,2]]}')]))],
    ['a missing chunk', withCom(Buffer.concat([Buffer.from('TRSIM1'), Buffer.from([1, 2]), Buffer.from('{}')]))],
  ])('returns null for %s', (_name, bytes) => {
    expect(decodeSimulatedTruth(bytes)).toBeNull();
  });

  it('refuses to splice into bytes that are not a JPEG', () => {
    expect(() => encodeSimulatedFrame(Buffer.from('not a jpeg'), truth(1))).toThrow(SimulatedFrameCodecError);
  });
});
