import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderSimulatorBackground, SimulatorScene } from '@trinetra/ingest';
import { encodeSimulatedFrame } from '@trinetra/shared';
import { startTestApp, type TestApp } from './support/test-app';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { startTestWorker } from './support/test-worker';

const REPO = path.resolve(__dirname, '..', '..');

/**
 * The load tool (`npm run load`, load/) run as a separate process against a started server,
 * from outside, like `npm run load -- --scenario smoke-2cam --sign-up`, on a scenario small
 * enough for the test suite. SIMULATOR BACKEND: the worker answers each frame from the ground
 * truth the simulator spliced into it (no model runs), so this checks the product's path
 * (upload socket, admission, control plane, BullMQ, worker, tracker, pub/sub, subscription) and
 * the tool's gates end to end, not inference capacity: `npm run load -- --scenario retail-8cam`
 * against `npm start` measures that (load/README.md).
 */
const SCENARIO = {
  name: 'suite-simulated-2cam',
  description: 'Test suite: 2 UPLOAD cameras at 5 fps for 12 s with simulator frames and the simulated inference backend.',
  durationS: 12,
  frameWidth: 320,
  cameras: [
    { count: 1, tier: 'CRITICAL', fps: 5 },
    { count: 1, tier: 'LIVE', fps: 5 },
  ],
  bursts: [{ atS: 4, durationS: 2, tier: 'CRITICAL', fpsMultiplier: 2 }],
  sampleEveryS: 1,
  // Generous latency limits: the suite shares two cores with everything else; the seed's
  // 200 ms gate is the benchmark's (retail-8cam), not a test assertion on a loaded machine.
  gates: {
    p99MsByTier: { CRITICAL: 3000, LIVE: 3000 },
    minResultRatioByTier: { CRITICAL: 0.9, LIVE: 0.5 },
    maxServerRssMb: 4096,
  },
};

interface Report {
  scenario: string;
  passed: boolean;
  gates: { gate: string; passed: boolean }[];
  tiers: { tier: string; results: number; admitted: number }[];
  server: { samples: unknown[] };
}

describe('load tool against a started server (SIMULATOR backend: ground-truth answers, no model)', () => {
  let db: TestDatabase;
  let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
  let t: TestApp | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'trinetra-load-'));
    db = await createTestDatabase();
    worker = await startTestWorker({
      REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      FRAME_QUEUE_NAME: `frames-test-${db.name}`,
      INFERENCE_BACKEND: 'simulated',
    });
    t = await startTestApp({}, db);
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await worker?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('suite-simulated-2cam (simulator backend): every gate of the scenario passes and the report says so', async () => {
    // Simulator frames with their ground truth (what the simulated backend answers from).
    const frames = path.join(dir, 'frames');
    const scene = new SimulatorScene({ width: 320, height: 180, persons: 3, seed: 17, occluders: 0, crossings: true });
    const background = await renderSimulatorBackground(320, 180, []);
    mkdirSync(frames);
    for (let i = 0; i < 60; i++) {
      scene.step(200);
      writeFileSync(path.join(frames, `${String(i).padStart(4, '0')}.jpg`), encodeSimulatedFrame(background, scene.truth()));
    }
    const scenarioFile = path.join(dir, 'scenario.json');
    writeFileSync(scenarioFile, JSON.stringify(SCENARIO));
    const reportFile = path.join(dir, 'report.json');

    const args = ['-r', './gpu-worker/worker/testing/ts-register.js', 'load/main.ts', '--scenario', scenarioFile, '--api-url', new URL(t!.url).origin, '--sign-up'];
    args.push('--frames-dir', frames, '--report', reportFile, '--warmup-s', '2');
    let child: ChildProcess | undefined;
    let output = '';
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
        child.once('error', reject);
        child.once('exit', (exitCode) => resolve(exitCode));
      });
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    expect(report.scenario).toBe('suite-simulated-2cam');
    expect(report.passed).toBe(true);
    expect(report.gates.length).toBe(5);
    expect(report.gates.filter((g) => !g.passed)).toEqual([]);
    for (const tier of ['CRITICAL', 'LIVE']) expect(report.tiers.find((x) => x.tier === tier)?.results).toBeGreaterThan(0);
    expect(report.server.samples.length).toBeGreaterThan(0);
  }, 90_000);
});
