/**
 * Real processes for integration tests and the benchmark: a private redis-server on a free
 * port, gpu-worker processes spawned from TypeScript (SWC loader, no build needed), and
 * simulated frames carrying ground truth.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { encodeSimulatedFrame, type SimulatedTruth } from '@trinetra/shared';

const repoRoot = path.resolve(__dirname, '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A redis-server of our own (no persistence), restartable on the same port. */
export class TestRedisServer {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort());
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    for (let i = 0; i < 100; i += 1) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await sleep(50);
      }
    }
    probe.disconnect();
    throw new Error(`redis-server on ${this.port} did not start`);
  }

  /** SIGKILL: the data set is gone, like a crashed Redis without persistence. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** One gpu-worker process. */
export class WorkerProcess {
  private output = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
  }

  static async spawn(env: Record<string, string>): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['-r', path.join(repoRoot, 'gpu-worker/worker/testing/ts-register.js'), path.join(repoRoot, 'gpu-worker/worker/main.ts')], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    const deadline = Date.now() + 20_000;
    while (!worker.output.includes('gpu-worker ready')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start: ${worker.output}`);
      await sleep(25);
    }
    return worker;
  }

  get logs(): string {
    return this.output;
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

/** A minimal JPEG header (SOI, JFIF APP0, SOS, EOI): enough to carry simulated truth. */
const BASE_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
  0xff, 0xd9,
]);

/** A simulated frame with `persons` synthetic people whose boxes encode `seq`. */
export function simulatedFrame(seq: number, persons = 2): Buffer {
  const truth: SimulatedTruth = {
    width: 640,
    height: 480,
    persons: Array.from({ length: persons }, (_, i) => ({
      id: i + 1,
      visibility: 1,
      box: { x: (seq * 3 + i * 50) % 600, y: 100, width: 40, height: 120 },
      keypoints: Array.from({ length: 17 }, (_, k) => ({ x: 10 + k, y: 20 + k, score: 0.9 })),
    })),
  };
  return encodeSimulatedFrame(BASE_JPEG, truth);
}

/** Polls `condition` every 20 ms until true or `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
