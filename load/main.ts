/**
 * `npm run load -- --scenario retail-8cam`: drives a running Trinetra from outside, as real
 * clients do (load/README.md): N UPLOAD cameras each sending real JPEG frames (decoded from a
 * video with ffmpeg) over its own /ingest socket, a frameResults subscription per camera, bursts
 * from the scenario file, the server's memory sampled from /metrics. Writes a JSON report and
 * exits 1 when a gate of the scenario fails (2 on a usage or connection error).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gql, SubscriptionClient, type Endpoints } from './api-client';
import { CameraDriver } from './camera-driver';
import { evaluateGates, maxOf, summary, tierReports, type LoadReport } from './report';
import { fpsAt, loadScenario, type Scenario } from './scenario';
import { ServerSampler } from './server-sampler';
import { decodeJpegFrames, readJpegFrames } from './video-frames';

const REPO = path.resolve(__dirname, '..');

// Node 20 ships its WebSocket client behind a flag (on by default from Node 22): re-run with it.
if (typeof globalThis.WebSocket === 'undefined') {
  const rerun = spawnSync(process.execPath, ['--experimental-websocket', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(rerun.status ?? 2);
}

interface Options {
  scenario: string;
  apiUrl: string;
  apiKey: string | undefined;
  signUp: boolean;
  metricsUrl: string | undefined;
  metricsToken: string | undefined;
  video: string;
  /** JPEG files to send instead of the video's frames. */
  framesDir: string | undefined;
  report: string | undefined;
  warmupS: number;
  durationS: number | undefined;
}

const USAGE = `usage: npm run load -- --scenario <name | file.json> [options]
  --api-url <url>        API base URL (default $TRINETRA_API_URL or http://127.0.0.1:4000)
  --api-key <key>        API key or access token with the ingest and cameras:write scopes ($TRINETRA_API_KEY)
  --sign-up              sign up a fresh tenant instead (local and test deployments; signUp is rate limited)
  --metrics-url <url>    where to sample server memory (default <api-url>/metrics)
  --metrics-token <tok>  bearer for /metrics ($TRINETRA_METRICS_TOKEN; required in production)
  --video <file>         source video (default ../shared/data/video/vtest.avi beside the repository)
  --frames-dir <dir>     send these JPEG files (name order) as they are instead of the video's frames
  --duration-s <s>       override the scenario's duration
  --warmup-s <s>         seconds sent before measuring (default 3)
  --report <file>        JSON report path (default artifacts/load/<scenario>-<time>.json)`;

class UsageError extends Error {
  override name = 'UsageError';
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${arg}`);
    const name = arg.slice(2);
    if (['sign-up', 'help'].includes(name)) flags.add(name);
    else {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      values.set(name, value);
      i += 1;
    }
  }
  if (flags.has('help')) throw new UsageError('');
  const known = new Set(['scenario', 'api-url', 'api-key', 'metrics-url', 'metrics-token', 'video', 'frames-dir', 'report', 'warmup-s', 'duration-s']);
  for (const k of values.keys()) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
  const scenario = values.get('scenario');
  if (!scenario) throw new UsageError('--scenario is required');
  const number = (k: string): number | undefined => {
    const v = values.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${k} must be a number >= 0`);
    return n;
  };
  const apiKey = values.get('api-key') ?? env['TRINETRA_API_KEY'];
  if (!apiKey && !flags.has('sign-up')) throw new UsageError('give --api-key (or TRINETRA_API_KEY), or --sign-up');
  return {
    scenario,
    apiUrl: values.get('api-url') ?? env['TRINETRA_API_URL'] ?? 'http://127.0.0.1:4000',
    apiKey,
    signUp: flags.has('sign-up'),
    metricsUrl: values.get('metrics-url'),
    metricsToken: values.get('metrics-token') ?? env['TRINETRA_METRICS_TOKEN'],
    video: values.get('video') ?? path.resolve(REPO, '..', 'shared', 'data', 'video', 'vtest.avi'),
    framesDir: values.get('frames-dir'),
    report: values.get('report'),
    warmupS: number('warmup-s') ?? 3,
    durationS: number('duration-s'),
  };
}

async function credential(options: Options): Promise<string> {
  if (options.apiKey && !options.signUp) return options.apiKey;
  const email = `load-${Date.now()}@load.trinetra.test`;
  const res = await gql<{ signUp: { accessToken: string } }>(
    { apiUrl: options.apiUrl },
    `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
    { input: { tenantName: `Load ${new Date().toISOString()}`, email, password: `load-${Math.random().toString(36).slice(2)}-password` } },
  );
  return res.signUp.accessToken;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sends each camera's frames at its scenario rate until `endAt`; frames loop over the video. */
async function drive(
  scenario: Scenario,
  drivers: ReadonlyArray<{ driver: CameraDriver; group: Scenario['cameras'][number] }>,
  frames: readonly Buffer[],
  startAt: number,
  endAt: number,
): Promise<void> {
  await Promise.all(
    drivers.map(async ({ driver, group }, index) => {
      // Cameras start at different points of the video, as different views would.
      let frame = (index * 37) % frames.length;
      let nextAt = Date.now();
      while (nextAt < endAt) {
        driver.send(frames[frame % frames.length] as Buffer);
        frame += 1;
        nextAt += 1000 / fpsAt(scenario, group, (nextAt - startAt) / 1000);
        await sleep(Math.max(0, nextAt - Date.now()));
      }
    }),
  );
}

async function run(options: Options): Promise<LoadReport> {
  const scenario = loadScenario(options.scenario);
  const durationS = options.durationS ?? scenario.durationS;
  process.stdout.write(options.framesDir ? `load: reading JPEG files from ${options.framesDir}...\n` : `load: decoding ${options.video} at ${scenario.frameWidth} px...\n`);
  const frames = options.framesDir ? readJpegFrames(options.framesDir, 300) : await decodeJpegFrames(options.video, scenario.frameWidth, 300);
  const endpoints: Endpoints = { apiUrl: options.apiUrl, token: await credential(options) };
  const drivers: Array<{ driver: CameraDriver; group: Scenario['cameras'][number] }> = [];
  let subscriptions: SubscriptionClient | null = null;
  const startedAt = new Date();
  const sampler = new ServerSampler(options.metricsUrl ?? new URL('/metrics', options.apiUrl).toString(), options.metricsToken, startedAt.getTime());
  try {
    for (const group of scenario.cameras) {
      for (let i = 0; i < group.count; i += 1) {
        drivers.push({ driver: await CameraDriver.create(endpoints, `load ${scenario.name} ${group.tier} ${i + 1}`, group.tier, group.fps), group });
      }
    }
    subscriptions = await SubscriptionClient.connect(endpoints);
    for (const { driver } of drivers) await driver.connect(subscriptions);
    sampler.start(scenario.sampleEveryS);
    process.stdout.write(`load: ${drivers.length} cameras connected; ${options.warmupS} s warm-up, then ${durationS} s measured\n`);
    const warmupEnd = Date.now() + options.warmupS * 1000;
    const measuring = sleep(options.warmupS * 1000).then(() => drivers.forEach(({ driver }) => driver.startMeasuring()));
    await Promise.all([drive(scenario, drivers, frames, warmupEnd, warmupEnd + durationS * 1000), measuring]);
    // Results of the last frames are still on their way.
    await sleep(3000);
    await sampler.stop();
  } finally {
    subscriptions?.close();
    for (const { driver } of drivers) await driver.dispose();
  }
  const tiers = tierReports(drivers.map(({ driver }) => driver.stats));
  const maxRssMb = maxOf(sampler.samples.map((s) => s.rssMb));
  const gates = evaluateGates(scenario, tiers, maxRssMb);
  return {
    scenario: scenario.name,
    apiUrl: options.apiUrl,
    startedAt: startedAt.toISOString(),
    durationS,
    tiers,
    server: { samples: sampler.samples, maxRssMb, maxHeapUsedMb: maxOf(sampler.samples.map((s) => s.heapUsedMb)) },
    gates,
    passed: gates.every((g) => g.passed),
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `load: ${error.message}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const report = await run(options);
  const file = options.report ?? path.join(REPO, 'artifacts', 'load', `${report.scenario}-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${summary(report)}\nload: report written to ${file}\n`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
