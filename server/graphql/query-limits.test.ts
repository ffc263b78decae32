import { getIntrospectionQuery, parse } from 'graphql';
import { assertWithinLimits, measureOperation, type QueryLimits } from './query-limits';

const LIMITS: QueryLimits = { maxDepth: 10, maxCost: 5_000, maxAliases: 50 };

describe('measureOperation', () => {
  it.each([
    ['{ me { kind } }', {}, { depth: 2, cost: 2 }],
    ['{ cameras(first: 5) { edges { node { id name } } } }', {}, { depth: 4, cost: 1 + 5 + 5 + 10 }],
    ['query($n: Int) { cameras(first: $n) { edges { node { id } } } }', { n: 50 }, { depth: 4, cost: 1 + 50 + 50 + 50 }],
    ['query($n: Int = 50) { cameras(first: $n) { edges { node { id } } } }', {}, { depth: 4, cost: 1 + 50 + 50 + 50 }],
    ['query($n: Int = 50) { cameras(first: $n) { edges { node { id } } } }', { n: 2 }, { depth: 4, cost: 1 + 2 + 2 + 2 }],
    ['{ cameras { edges { node { id } } } }', {}, { depth: 4, cost: 1 + 20 + 20 + 20 }],
    ['{ me { ...F } } fragment F on Me { tenant { id } }', {}, { depth: 3, cost: 3 }],
    ['{ __typename me { __typename kind } }', {}, { depth: 2, cost: 4 }],
    ['{ __schema { types { name fields { type { ofType { ofType { name } } } } } } me { kind } }', {}, { depth: 5, cost: 10 }],
    ['{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', {}, { depth: 8, introspectionListDepth: 4 }],
  ])('%s %j', (query, variables, expected) => {
    expect(measureOperation(parse(query), undefined, variables)).toMatchObject(expected);
  });

  it('counts aliases', () => {
    const query = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(measureOperation(parse(query), undefined)).toMatchObject({ aliases: 1000, cost: 1000 });
  });

  it('keeps type-reference chains free of depth, so the IDE introspection query passes', () => {
    const size = measureOperation(parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true })), undefined);
    expect(() => assertWithinLimits(size, LIMITS)).not.toThrow();
    expect(size.introspectionListDepth).toBe(3);
  });

  it.each([
    ['four nested introspection lists', '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }', 'QUERY_TOO_DEEP', LIMITS],
    [
      'a deep __schema walk',
      '{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } }',
      'QUERY_TOO_DEEP',
      LIMITS,
    ],
    ['51 aliases', `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: __typename`).join(' ')} }`, 'TOO_MANY_ALIASES', LIMITS],
    ['5,001 __typename', `{ ${Array.from({ length: 5001 }, () => '__typename').join(' ')} }`, 'QUERY_TOO_COMPLEX', LIMITS],
    [
      'a costly default value',
      'query($n: Int = 100) { cameras(first: $n) { edges { node { id name tier status purpose } } } }',
      'QUERY_TOO_COMPLEX',
      { ...LIMITS, maxCost: 500 },
    ],
  ])('refuses %s', (_name, query, reason, limits) => {
    expect(() => assertWithinLimits(measureOperation(parse(query), undefined), limits)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason }) }),
    );
  });

  it('cuts fragment cycles instead of looping', () => {
    const doc = parse('{ me { ...A } } fragment A on Me { tenant { ...B } } fragment B on MeTenant { id ...A }');
    expect(measureOperation(doc, undefined).depth).toBeGreaterThan(0);
  });
});
