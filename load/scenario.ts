import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Tiers a load scenario may give its cameras (UPLOAD cameras; see docs/ingest-protocol.md). */
export const LOAD_TIERS = ['BILLING', 'CRITICAL', 'STANDARD', 'BEST_EFFORT', 'LIVE'] as const;
export type LoadTier = (typeof LOAD_TIERS)[number];

export interface CameraGroup {
  count: number;
  tier: LoadTier;
  /** Frames per second each camera of the group uploads. */
  fps: number;
}

/** A period in which the cameras of one tier (or all) upload `fpsMultiplier` times faster. */
export interface Burst {
  atS: number;
  durationS: number;
  tier?: LoadTier;
  fpsMultiplier: number;
}

/** Pass/fail limits; an absent gate is not checked. */
export interface Gates {
  /** Upload-to-result p99 per tier, milliseconds. */
  p99MsByTier?: Partial<Record<LoadTier, number>>;
  /** Least share of admitted frames that came back as a result on the subscription, per tier. */
  minResultRatioByTier?: Partial<Record<LoadTier, number>>;
  /** Largest server RSS seen on /metrics, MiB (needs the metrics token against production). */
  maxServerRssMb?: number;
}

export interface Scenario {
  name: string;
  description: string;
  durationS: number;
  /** Frames are scaled to this width (height follows the video's aspect). */
  frameWidth: number;
  cameras: CameraGroup[];
  bursts: Burst[];
  sampleEveryS: number;
  gates: Gates;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const SCENARIO_DIR = path.join(__dirname, 'scenarios');

function positive(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ScenarioError(`${where} must be a positive number`);
  return value;
}

function tierOf(value: unknown, where: string): LoadTier {
  if (typeof value !== 'string' || !(LOAD_TIERS as readonly string[]).includes(value))
    throw new ScenarioError(`${where} must be one of ${LOAD_TIERS.join(', ')}`);
  return value as LoadTier;
}

function tierMap(value: unknown, where: string): Partial<Record<LoadTier, number>> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new ScenarioError(`${where} must be an object of tier -> number`);
  const out: Partial<Record<LoadTier, number>> = {};
  for (const [k, v] of Object.entries(value)) out[tierOf(k, `${where} key`)] = positive(v, `${where}.${k}`);
  return out;
}

/** Validates a parsed scenario file (the edge: a file anyone may edit). */
export function parseScenario(raw: unknown, source: string): Scenario {
  if (typeof raw !== 'object' || raw === null) throw new ScenarioError(`${source}: not a JSON object`);
  const r = raw as Record<string, unknown>;
  if (typeof r['name'] !== 'string' || r['name'] === '') throw new ScenarioError(`${source}: name is required`);
  if (!Array.isArray(r['cameras']) || r['cameras'].length === 0) throw new ScenarioError(`${source}: cameras must be a non-empty list`);
  const cameras = r['cameras'].map((c: Record<string, unknown>, i: number) => ({
    count: positive(c['count'], `${source}: cameras[${i}].count`),
    tier: tierOf(c['tier'], `${source}: cameras[${i}].tier`),
    fps: positive(c['fps'], `${source}: cameras[${i}].fps`),
  }));
  const bursts = ((r['bursts'] as Record<string, unknown>[] | undefined) ?? []).map((b, i) => ({
    atS: typeof b['atS'] === 'number' && b['atS'] >= 0 ? b['atS'] : positive(b['atS'], `${source}: bursts[${i}].atS`),
    durationS: positive(b['durationS'], `${source}: bursts[${i}].durationS`),
    ...(b['tier'] === undefined ? {} : { tier: tierOf(b['tier'], `${source}: bursts[${i}].tier`) }),
    fpsMultiplier: positive(b['fpsMultiplier'], `${source}: bursts[${i}].fpsMultiplier`),
  }));
  const g = (r['gates'] ?? {}) as Record<string, unknown>;
  const p99MsByTier = tierMap(g['p99MsByTier'], `${source}: gates.p99MsByTier`);
  const minResultRatioByTier = tierMap(g['minResultRatioByTier'], `${source}: gates.minResultRatioByTier`);
  const gates: Gates = {
    ...(p99MsByTier ? { p99MsByTier } : {}),
    ...(minResultRatioByTier ? { minResultRatioByTier } : {}),
    ...(g['maxServerRssMb'] === undefined ? {} : { maxServerRssMb: positive(g['maxServerRssMb'], `${source}: gates.maxServerRssMb`) }),
  };
  return {
    name: r['name'],
    description: typeof r['description'] === 'string' ? r['description'] : '',
    durationS: positive(r['durationS'], `${source}: durationS`),
    frameWidth: positive(r['frameWidth'] ?? 640, `${source}: frameWidth`),
    cameras,
    bursts,
    sampleEveryS: positive(r['sampleEveryS'] ?? 2, `${source}: sampleEveryS`),
    gates,
  };
}

/** A scenario by name (`load/scenarios/<name>.json`) or by path to a JSON file. */
export function loadScenario(nameOrPath: string): Scenario {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : path.join(SCENARIO_DIR, `${nameOrPath}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(`no scenario ${nameOrPath} (${file}): ${error instanceof Error ? error.message : String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`${file}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseScenario(raw, file);
}

/** Each camera's upload rate at `elapsedS`, bursts applied. */
export function fpsAt(scenario: Scenario, group: CameraGroup, elapsedS: number): number {
  let fps = group.fps;
  for (const b of scenario.bursts) {
    if ((b.tier === undefined || b.tier === group.tier) && elapsedS >= b.atS && elapsedS < b.atS + b.durationS) fps *= b.fpsMultiplier;
  }
  return fps;
}
