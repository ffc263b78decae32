import { PendingFrame } from './pending-frame';
import { PendingFrameBuffer } from './pending-frame-buffer';

const frame = (seq: number, deadline: number) => new PendingFrame<string>(`f${seq}`, 'cam', seq, 'CRITICAL', null, 0, 0, deadline);

describe('PendingFrameBuffer', () => {
  it.each([
    { name: 'in order', resolve: [1, 2, 3], expected: [1, 2, 3] },
    { name: 'reverse order waits for the head', resolve: [3, 2], expected: [] },
    { name: 'reverse order then head releases all', resolve: [3, 2, 1], expected: [1, 2, 3] },
    { name: 'gap in the middle stops release', resolve: [1, 3], expected: [1] },
  ])('releases strictly in sequence: $name', ({ resolve, expected }) => {
    const buffer = new PendingFrameBuffer<string>('cam', 8);
    const frames = [1, 2, 3].map((s) => frame(s, 100 + s));
    frames.forEach((f) => buffer.insert(f));
    const out: PendingFrame<string>[] = [];
    for (const seq of resolve) {
      (buffer.get(seq) as PendingFrame<string>).state = 'resolved';
      buffer.releaseReady(out);
    }
    expect(out.map((f) => f.seq)).toEqual(expected);
    expect(buffer.size).toBe(3 - expected.length);
  });

  it('an expired predecessor releases its resolved successors', () => {
    const buffer = new PendingFrameBuffer<string>('cam', 8);
    [1, 2, 3].forEach((s) => buffer.insert(frame(s, 100 * s)));
    const f2 = buffer.get(2) as PendingFrame<string>;
    const f3 = buffer.get(3) as PendingFrame<string>;
    f2.state = f3.state = 'resolved';
    buffer.setExpiry(f2, Infinity);
    buffer.setExpiry(f3, Infinity);
    const expired: PendingFrame<string>[] = [];
    expect(buffer.popExpired(99, expired)).toBe(0);
    expect(buffer.popExpired(100, expired)).toBe(1);
    buffer.remove(expired[0] as PendingFrame<string>);
    const out: PendingFrame<string>[] = [];
    buffer.releaseReady(out);
    expect(out.map((f) => f.seq)).toEqual([2, 3]);
    expect(buffer.size).toBe(0);
    expect(buffer.nextExpiry()).toBe(Infinity);
  });

  it.each([
    { name: 'full', setup: (b: PendingFrameBuffer<string>) => [1, 2].forEach((s) => b.insert(frame(s, 1))), insert: 3 },
    { name: 'sequence not increasing', setup: (b: PendingFrameBuffer<string>) => b.insert(frame(5, 1)), insert: 5 },
  ])('refuses an insert when $name', ({ setup, insert }) => {
    const buffer = new PendingFrameBuffer<string>('cam', 2);
    setup(buffer);
    expect(() => buffer.insert(frame(insert, 1))).toThrow();
  });

  it('pops K expiries earliest first and leaves the rest', () => {
    const buffer = new PendingFrameBuffer<string>('cam', 1000);
    for (let s = 1; s <= 1000; s += 1) buffer.insert(frame(s, 1000 - s));
    const out: PendingFrame<string>[] = [];
    expect(buffer.popExpired(9, out)).toBe(10);
    expect(out.map((f) => f.expiresAt)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(buffer.nextExpiry()).toBe(10);
  });
});
