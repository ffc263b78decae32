import { InvalidInputError } from '@trinetra/shared';
import { parseSimulatorUrl } from './simulator-url';

describe('parseSimulatorUrl', () => {
  it.each<[string | null, object]>([
    [null, {}],
    ['', {}],
    ['sim://people', {}],
    ['sim://people?count=3', { persons: 3 }],
    ['sim://people?count=0&occluders=2&crossings=false&speed=120&seed=7', { persons: 0, occluders: 2, crossings: false, speedPxPerS: 120, seed: 7 }],
  ])('%s -> %j', (url, expected) => {
    expect(parseSimulatorUrl(url)).toEqual(expected);
  });

  it.each([
    ['rtsp://people?count=3', 'sim://people'],
    ['sim://cars?count=3', 'sim://people'],
    ['sim://people?count=three', 'count must be a whole number from 0 to 50'],
    ['sim://people?count=51', 'count must be a whole number from 0 to 50'],
    ['sim://people?count=-1', 'count must be'],
    ['sim://people?crossings=yes', 'crossings must be true or false'],
    ['sim://people?count=1&count=2', 'count is given twice'],
    ['sim://people?colour=red', 'unknown simulator setting "colour"'],
  ])('refuses %s', (url, message) => {
    expect(() => parseSimulatorUrl(url)).toThrow(InvalidInputError);
    expect(() => parseSimulatorUrl(url)).toThrow(message);
  });
});
