import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../observability/logger';

export interface WorkerPoolOptions {
  processes: number;
  /** Environment of every worker (REDIS_URL, FRAME_QUEUE_NAME, BULLMQ_PREFIX, INFERENCE_BACKEND...). */
  env: Record<string, string>;
  /** Entry script; default the compiled gpu-worker. */
  entry?: string;
}

export interface WorkerPool {
  readonly pids: number[];
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Runs gpu-worker processes beside the server (`npm start` on one machine) and restarts one
 * that dies, with exponential backoff, so a crash costs its in-flight batch (recovered by the
 * control plane) and not the pool. Scaled-out deployments set WORKER_PROCESSES=0 and run
 * workers on their own nodes.
 */
export function startWorkerPool(options: WorkerPoolOptions, logger: Logger): WorkerPool {
  // Compiled to server/dist/boot/: the repository root is three levels up.
  const entry = options.entry ?? path.resolve(__dirname, '..', '..', '..', 'gpu-worker', 'dist', 'worker', 'main.js');
  const children = new Map<number, ChildProcess>();
  let stopping = false;

  const launch = (slot: number, backoffMs: number): void => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [entry], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.set(slot, child);
    child.on('exit', (code, signal) => {
      children.delete(slot);
      if (stopping) return;
      // A worker that ran for a while gets a fresh backoff; one that keeps crashing waits longer.
      const next = Date.now() - startedAt > 60_000 ? 1_000 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      logger.warn({ slot, code, signal, restartInMs: next }, 'gpu-worker exited; restarting');
      setTimeout(() => !stopping && launch(slot, next), next).unref();
    });
  };
  for (let slot = 0; slot < options.processes; slot++) launch(slot, 1_000);
  if (options.processes > 0) logger.info({ processes: options.processes }, 'gpu-worker pool started');

  return {
    get pids() {
      return [...children.values()].map((c) => c.pid ?? -1);
    },
    stop: async () => {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
