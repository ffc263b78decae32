/**
 * Entry of one gpu-worker process (`node gpu-worker/dist/worker/main.js`): consumes frame batch
 * jobs from BullMQ with the configured concurrency and backend. Logs JSON lines to stdout.
 */
import { Redis } from 'ioredis';
import { UnrecoverableError, Worker } from 'bullmq';
import { FRAME_BATCH_JOB } from './frame-batch.contract';
import { FrameBatchProcessor, InvalidFrameBatchError } from './frame-batch.processor';
import { selectWorkerBackend } from './worker-backend.factory';
import { loadWorkerConfig } from './worker.config';

const log = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), pid: process.pid, msg, ...extra })}\n`);

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const backend = await selectWorkerBackend(config, (message) => log('warn', message));
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  connection.on('error', (err: Error) => log('warn', 'redis error', { error: err.message }));
  const processor = new FrameBatchProcessor(connection, backend);
  const worker = new Worker(
    config.queueName,
    async (job) => {
      if (job.name !== FRAME_BATCH_JOB) throw new UnrecoverableError(`unknown job ${job.name}`);
      try {
        return await processor.process(job.data);
      } catch (err) {
        if (err instanceof InvalidFrameBatchError) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
    {
      connection,
      prefix: config.prefix,
      concurrency: config.concurrency,
      lockDuration: config.lockDurationMs,
      stalledInterval: config.stalledIntervalMs,
      maxStalledCount: 1,
    },
  );
  worker.on('error', (err) => log('warn', 'worker error', { error: err.message }));
  worker.on('failed', (job, err) => log('warn', 'batch failed', { jobId: job?.id, error: err.message }));
  await worker.waitUntilReady();
  log('info', 'gpu-worker ready', {
    queue: config.queueName,
    concurrency: config.concurrency,
    backend: backend.name,
    onnxThreads: config.onnx.intraOpThreads,
    sceneDetector: config.scene.detector,
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log('info', 'shutting down', { signal });
    await worker.close();
    await backend.close();
    connection.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by a server's worker pool (an IPC channel): leave with the server, even a killed one.
  if (process.send) process.on('disconnect', () => void shutdown('parent exited'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  log('error', 'gpu-worker failed to start', { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
