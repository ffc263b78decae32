import { InvalidInputError } from '@trinetra/shared';
import type { SimulatorSceneOptions } from './simulator-scene';

/** The scene a SIMULATOR camera draws when its URL says nothing. */
export const DEFAULT_SIMULATOR_SCENE = { width: 640, height: 360, persons: 4, crossings: true, occluders: 1 } as const;

/** Settings a SIMULATOR camera's `sourceUrl` may carry, with their bounds. */
const INTEGER_SETTINGS = {
  count: { option: 'persons', min: 0, max: 50 },
  occluders: { option: 'occluders', min: 0, max: 10 },
  speed: { option: 'speedPxPerS', min: 1, max: 1000 },
  seed: { option: 'seed', min: 0, max: 2 ** 31 - 1 },
} as const;
const BOOLEAN_SETTINGS = { crossings: 'crossings' } as const;

export type SimulatorUrlSettings = Pick<SimulatorSceneOptions, 'persons' | 'occluders' | 'speedPxPerS' | 'seed' | 'crossings'>;

/**
 * Reads a SIMULATOR camera's optional `sourceUrl`: `sim://people?count=3&occluders=0&crossings=false&speed=120&seed=7`.
 * Null or empty means the defaults. Anything else (another scheme or scene, an unknown or
 * repeated setting, a value out of bounds) is a BAD_USER_INPUT naming the setting, so a typo
 * is reported when the camera is saved rather than silently ignored.
 */
export function parseSimulatorUrl(url: string | null | undefined): SimulatorUrlSettings {
  if (!url) return {};
  const fail = (message: string): never => {
    throw new InvalidInputError(`sourceUrl: ${message}`, { field: 'sourceUrl' });
  };
  const match = /^sim:\/\/people(?:\?(.*))?$/.exec(url);
  if (!match) return fail('a simulator URL looks like sim://people?count=3 (settings: count, occluders, crossings, speed, seed)');
  const settings: SimulatorUrlSettings = {};
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(match[1] ?? '')) {
    if (seen.has(key)) fail(`${key} is given twice`);
    seen.add(key);
    if (key in INTEGER_SETTINGS) {
      const { option, min, max } = INTEGER_SETTINGS[key as keyof typeof INTEGER_SETTINGS];
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!Number.isInteger(n) || n < min || n > max) fail(`${key} must be a whole number from ${min} to ${max}`);
      settings[option] = n;
    } else if (key in BOOLEAN_SETTINGS) {
      if (value !== 'true' && value !== 'false') fail(`${key} must be true or false`);
      settings[BOOLEAN_SETTINGS[key as keyof typeof BOOLEAN_SETTINGS]] = value === 'true';
    } else {
      fail(`unknown simulator setting ${JSON.stringify(key.slice(0, 40))} (settings: count, occluders, crossings, speed, seed)`);
    }
  }
  return settings;
}
