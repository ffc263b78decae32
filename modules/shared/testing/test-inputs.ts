/**
 * Files the tests read that the repository does not hold: the shared data folder beside it
 * (`../shared/data`), prepared models, system binaries (Chromium, ffmpeg), build outputs.
 *
 * A newcomer's clone may lack them, so locally a test that needs an absent one is skipped with
 * a message naming the path. In CI (`CI=true`) they are always provided, so an absent one is a
 * broken run, never a reason to pass: the test file fails to load, naming the path.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file holding `tsconfig.build.json`. */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'tsconfig.build.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no tsconfig.build.json above ${from}: cannot locate the repository root`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** The shared test data folder: `../shared/data` beside the repository (see README, "Tests"). */
export const SHARED_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** Absolute path of `relative` inside the shared test data folder. */
export function sharedDataPath(relative: string): string {
  return path.join(SHARED_DATA_DIR, relative);
}

/** True when the run is CI's (`CI=true` or `CI=1`), where every test input must be present. */
export function isCi(): boolean {
  return ['true', '1'].includes((process.env['CI'] ?? '').toLowerCase());
}

/** Thrown in CI for an absent test input: a skip there would let a broken run pass. */
export class MissingTestInputError extends Error {
  constructor(
    readonly missingPath: string,
    readonly needer: string,
  ) {
    super(
      `${needer} needs ${missingPath}, which is absent. CI=true, so this fails instead of skipping (shared data lives in ../shared/data beside the repository; models are prepared by npm test; see README, "Tests")`,
    );
    this.name = 'MissingTestInputError';
  }
}

/**
 * Checks the inputs `needer` reads. Returns null when all exist; otherwise, locally, a skip
 * message naming the first absent path (also written as a warning), and in CI throws
 * {@link MissingTestInputError}.
 */
export function absentTestInput(paths: readonly string[], needer: string): string | null {
  const absent = paths.find((p) => !existsSync(p));
  if (absent === undefined) return null;
  if (isCi()) throw new MissingTestInputError(absent, needer);
  const message = `skipping ${needer}: ${absent} is absent (fails instead under CI=true)`;
  console.warn(message);
  return message;
}

/** `it` when the inputs exist; locally `it.skip` with a warning; in CI throws (see {@link absentTestInput}). */
export function itWithInputs(paths: readonly string[], needer: string): jest.It {
  return absentTestInput(paths, needer) === null ? it : it.skip;
}

/** `describe` when the inputs exist; locally `describe.skip` with a warning; in CI throws. */
export function describeWithInputs(paths: readonly string[], needer: string): jest.Describe {
  return absentTestInput(paths, needer) === null ? describe : describe.skip;
}
