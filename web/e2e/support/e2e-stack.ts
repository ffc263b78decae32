/**
 * The real stack for dashboard end-to-end tests: the built API server (`server/dist/main.js`)
 * on a free port with its own fresh database, the built dashboard (`next start`) pointed at it,
 * and Debian's Chromium driven by playwright-core. No mocks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SHARED_DATA_DIR, sharedDataPath } from '@trinetra/shared/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain script shared with npm start and npm test
const dashboardBuild = require('../../../scripts/dashboard-build.js') as { ensureDashboardBuild(options?: { force?: boolean }): boolean };

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const WEB_DIR = path.join(REPO_ROOT, 'web');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SERVER_MAIN = path.join(REPO_ROOT, 'server/dist/main.js');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts/screenshots');
/** Shared test data lives beside the repository (../shared), never inside it. */
export const POSE_VIDEO = sharedDataPath('video/tfjs-models/pose_1.mp4');
/** OpenCV's shop-floor clip (768x576, 10 fps, several people at once): a SCENE FILE camera. */
export const STORE_VIDEO = sharedDataPath('video/vtest.avi');
const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [WEB_DIR] });

/**
 * What the e2e suite needs beyond the repository: Chromium (apt-get install chromium) and the
 * built server (npm run build). Checked with modules/shared/testing: skipped locally, a failure in CI.
 */
export const E2E_INPUTS: readonly string[] = [CHROMIUM_PATH, SERVER_MAIN];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${output()}`);
}

function startProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => log };
}

async function stopProcess(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The API server process; can be stopped and started again on the same port and database. */
export class ApiServer {
  private process: { child: ChildProcess; output: () => string } | null = null;

  constructor(
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get graphqlUrl(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    this.process = startProcess(process.execPath, [SERVER_MAIN], { cwd: REPO_ROOT, env: this.env });
    await waitForHttp(`http://127.0.0.1:${this.port}/healthz`, 90_000, this.process.child, this.process.output);
  }

  async stop(): Promise<void> {
    await stopProcess(this.process?.child ?? null);
    this.process = null;
  }

  output(): string {
    return this.process?.output() ?? '';
  }
}

/**
 * The dashboard's production build (scripts/dashboard-build.js, which `npm test` runs before
 * jest): built here only when missing or stale, e.g. for a test file run through jest directly.
 */
function ensureDashboardBuild(): void {
  if (!dashboardBuild.ensureDashboardBuild({ force: process.env.E2E_REBUILD === '1' })) throw new Error('next build failed (see its output above)');
}

function databaseUrlFor(name: string): { url: string; adminUrl: string } {
  const base = new URL(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const admin = new URL(base.href);
  admin.pathname = '/postgres';
  const url = new URL(base.href);
  url.pathname = `/${name}`;
  return { url: url.href, adminUrl: admin.href };
}

/** Everything one e2e file needs, started in `start()` and removed in `stop()`. */
export class E2eStack {
  api!: ApiServer;
  browser!: Browser;
  dashboardUrl = '';
  private dashboard: { child: ChildProcess; output: () => string } | null = null;
  private readonly dbName = `trinetra_e2e_${process.pid}_${Date.now().toString(36)}`;
  private readonly tmpDir = mkdtempSync(path.join(os.tmpdir(), 'trinetra-e2e-'));

  /** Chromium flags added to the defaults (for example the fake capture device). */
  constructor(private readonly extraChromiumArgs: string[] = []) {}

  async start(): Promise<void> {
    ensureDashboardBuild();
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const { url } = databaseUrlFor(this.dbName);
    this.dashboardUrl = `http://127.0.0.1:${webPort}`;
    this.api = new ApiServer(apiPort, {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATABASE_URL: url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATA_DIR: path.join(this.tmpDir, 'data'),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      CORS_ORIGINS: this.dashboardUrl,
      // Every test signs up from 127.0.0.1, sharing one Redis counter across test files.
      SIGN_UP_PER_ADDRESS_PER_HOUR: '100000',
      // FILE cameras of every tenant may read the shared test videos.
      MEDIA_ROOTS: `*=${SHARED_DATA_DIR}`,
    });
    await this.api.start();
    this.dashboard = startProcess(process.execPath, [NEXT_BIN, 'start', '-p', String(webPort), '-H', '127.0.0.1'], {
      cwd: WEB_DIR,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', API_URL: this.api.graphqlUrl },
    });
    await waitForHttp(`${this.dashboardUrl}/sign-in`, 60_000, this.dashboard.child, this.dashboard.output);
    this.browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...this.extraChromiumArgs,
      ],
    });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await stopProcess(this.dashboard?.child ?? null);
    await this.api?.stop();
    const admin = new Client({ connectionString: databaseUrlFor(this.dbName).adminUrl });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`);
    } catch {
      // the database may never have been created
    } finally {
      await admin.end().catch(() => undefined);
    }
    rmSync(this.tmpDir, { recursive: true, force: true });
  }

  tempPath(name: string): string {
    return path.join(this.tmpDir, name);
  }
}

/** Collects console errors and page errors of a page, for the "no console errors" check. */
export function watchConsole(page: Page): { errors: string[]; pause(): void; resume(): void } {
  const errors: string[] = [];
  let paused = false;
  page.on('console', (message) => {
    if (!paused && message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    if (!paused) errors.push(`${page.url()}: ${error.message}`);
  });
  return {
    errors,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Converts a video (default the pose video) into a Y4M file for Chromium's fake capture device,
 * which loops it; throws when ffmpeg cannot. `filter` is ffmpeg's -vf (size and frame rate).
 */
export function makeFakeCaptureVideo(target: string, source: string = POSE_VIDEO, filter = 'scale=480:480,fps=15'): void {
  const result = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', source, '-vf', filter, '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', target],
    { encoding: 'utf8' },
  );
  if (result.error) throw new Error(`ffmpeg unavailable for the webcam e2e video: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`ffmpeg failed making the webcam e2e video from ${source}: ${result.stderr}`);
}

/** Reads a numeric data attribute of the first element matching `selector`. */
export async function numericAttribute(page: Page, selector: string, attribute: string): Promise<number> {
  const value = await page.locator(selector).first().getAttribute(attribute);
  return Number(value ?? Number.NaN);
}

/** Polls until `read()` satisfies `accept`, returning the last value read. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

/** Signs a new organisation up through the dashboard's form and waits for the camera list it lands on. */
export async function signUpInBrowser(page: Page, dashboardUrl: string, organisation: string, email: string): Promise<void> {
  await page.goto(`${dashboardUrl}/sign-up`);
  await page.getByLabel('Organisation name').fill(organisation);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/cameras');
}

/** One GraphQL request to the API server (set-up through the API, not the dashboard); throws on errors. */
export async function api<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}
