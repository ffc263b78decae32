import { DROP_REASONS, isDropReason } from './drop-reason';

describe('DropReason', () => {
  it.each([...DROP_REASONS])('accepts %s', (reason) => {
    expect(isDropReason(reason)).toBe(true);
  });

  it.each([['unknown'], ['TTL_EXPIRED'], [''], [42], [null]])('rejects %p', (value) => {
    expect(isDropReason(value)).toBe(false);
  });

  it('has no duplicates', () => {
    expect(new Set(DROP_REASONS).size).toBe(DROP_REASONS.length);
  });
});
