import { parse } from 'graphql';
import { measureOperation } from './query-limits';

describe('measureOperation', () => {
  it.each([
    ['{ me { kind } }', {}, { depth: 2, cost: 2 }],
    ['{ cameras(first: 5) { edges { node { id name } } } }', {}, { depth: 4, cost: 1 + 5 + 5 + 10 }],
    ['query($n: Int) { cameras(first: $n) { edges { node { id } } } }', { n: 50 }, { depth: 4, cost: 1 + 50 + 50 + 50 }],
    ['{ cameras { edges { node { id } } } }', {}, { depth: 4, cost: 1 + 20 + 20 + 20 }],
    ['{ me { ...F } } fragment F on Me { tenant { id } }', {}, { depth: 3, cost: 3 }],
    ['{ __schema { types { name fields { type { ofType { ofType { name } } } } } } me { kind } }', {}, { depth: 2, cost: 2 }],
  ])('%s', (query, variables, expected) => {
    expect(measureOperation(parse(query), undefined, variables)).toEqual(expected);
  });

  it('cuts fragment cycles instead of looping', () => {
    const doc = parse('{ me { ...A } } fragment A on Me { tenant { ...B } } fragment B on MeTenant { id ...A }');
    expect(measureOperation(doc, undefined).depth).toBeGreaterThan(0);
  });
});
