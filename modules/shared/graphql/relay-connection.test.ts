import 'reflect-metadata';
import { decodeCursor, encodeCursor } from './relay-connection';

const ID = '0b4f3a52-6c1e-4d8e-9a57-2f0d6c3b9e11';
const forge = (payload: unknown): string => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    const cursor = { createdAt: new Date('2026-03-01T10:00:00.123Z'), id: ID };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['garbage', 'garbage'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['a non-uuid id', forge(['2026-03-01T10:00:00.000Z', "x' OR 1=1"])],
    ['a date outside Postgres-friendly years', forge(['+275760-09-13T00:00:00.000Z', ID])],
    ['a date not in our ISO form', forge(['March 1, 2026', ID])],
    ['three elements', forge(['2026-03-01T10:00:00.000Z', ID, 'x'])],
    ['an overlong cursor', 'a'.repeat(10_000)],
  ])('refuses %s with BAD_USER_INPUT on `after`', (_name, value) => {
    expect(() => decodeCursor(value)).toThrow(expect.objectContaining({ apiCode: 'BAD_USER_INPUT', details: { field: 'after' } }));
  });
});
