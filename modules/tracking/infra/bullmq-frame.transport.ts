import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { FRAME_BATCH_JOB, frameBytesKey, frameReportSchema, REPORTS_FIELD, type FrameBatchJob, type FrameReport } from '@trinetra/gpu-worker';
import { ControlPlaneError, ControlPlaneErrorCode } from '../domain/supervision';
import type { FrameTransport, OutgoingBatch } from './frame.transport';

/** Options of {@link BullMqFrameTransport}. */
export interface BullMqFrameTransportOptions {
  /** Redis connection (URL or ioredis options). */
  redis: string | RedisOptions;
  /** Queue the gpu-workers consume (`FRAME_QUEUE_NAME` on their side). */
  queueName: string;
  /** BullMQ key prefix (`BULLMQ_PREFIX` on the worker side). Default `bull`. */
  bullPrefix?: string;
  /** Prefix of frame byte keys and of this instance's results stream. Default `trinetra:cp:<instanceId>`. */
  keyPrefix?: string;
  /** Unique per control plane process. */
  instanceId: string;
  /**
   * Milliseconds a send may take before it counts as failed (the breaker sees it). Default 1000.
   * Commands are not queued while Redis is down, so an outage fails fast instead of buffering.
   */
  sendTimeoutMs?: number;
}

const REPORTS_PER_READ = 256;
const BLOCK_MS = 250;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ControlPlaneError(ControlPlaneErrorCode.TRANSPORT_FAILED, `${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Frame batches over BullMQ: bytes as binary Redis strings with `PX` expiry, jobs carrying
 * references and deadlines, reports read back from this instance's results stream with
 * `XREAD BLOCK` and trimmed once read (see gpu-worker/worker/docs/frame-batch-protocol.md).
 */
export class BullMqFrameTransport implements FrameTransport {
  readonly resultsKey: string;
  private readonly keyPrefix: string;
  private readonly commands: Redis;
  private readonly reader: Redis;
  private readonly queue: Queue;
  private readonly queueConnection: Redis;
  private readonly sendTimeoutMs: number;
  private running = false;
  /** Redis connection errors seen (each reconnect attempt during an outage counts). */
  connectionErrors = 0;
  private reportError: ((error: Error) => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(options: BullMqFrameTransportOptions) {
    this.keyPrefix = options.keyPrefix ?? `trinetra:cp:${options.instanceId}`;
    this.resultsKey = `${this.keyPrefix}:results`;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 1000;
    const base: RedisOptions = typeof options.redis === 'string' ? {} : options.redis;
    const make = (extra: RedisOptions) => (typeof options.redis === 'string' ? new Redis(options.redis, extra) : new Redis({ ...base, ...extra }));
    // ioredis reports every failed reconnect as an 'error' event (and exits the process when
    // nobody listens). The failures that matter surface where they happen (a send rejects, a
    // read throws) and reach the control plane there; these events are only counted, and
    // passed on once the transport has started.
    const onConnectionError = (err: Error) => {
      this.connectionErrors += 1;
      this.reportError?.(err);
    };
    this.commands = make({ maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(50 * n, 500) });
    this.reader = make({ maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(50 * n, 500) });
    this.commands.on('error', onConnectionError);
    this.reader.on('error', onConnectionError);
    this.queueConnection = make({ maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(50 * n, 500) });
    this.queueConnection.on('error', onConnectionError);
    this.queue = new Queue(options.queueName, { connection: this.queueConnection, prefix: options.bullPrefix ?? 'bull' });
    this.queue.on('error', onConnectionError);
  }

  async send(batch: OutgoingBatch): Promise<void> {
    const enqueuedAt = Date.now();
    const pipeline = this.commands.pipeline();
    const job: FrameBatchJob = { batchId: batch.batchId, resultsKey: this.resultsKey, enqueuedAt, frames: [] };
    for (const frame of batch.frames) {
      const bytesKey = frameBytesKey(this.keyPrefix, frame.frameId);
      pipeline.set(bytesKey, frame.image, 'PX', Math.max(1, Math.ceil(frame.retainMs)));
      // Perception was decided by the server when the camera registered (never from the bytes).
      job.frames.push({
        frameId: frame.frameId,
        cameraId: frame.cameraId,
        seq: frame.seq,
        deadline: frame.deadline,
        bytesKey,
        perception: frame.perception,
        tiled: frame.tiled,
        faces: frame.faces === true,
      });
    }
    const stored = await withTimeout(pipeline.exec(), this.sendTimeoutMs, 'storing frame bytes');
    const failed = stored?.find(([err]) => err);
    if (!stored || failed)
      throw new ControlPlaneError(ControlPlaneErrorCode.TRANSPORT_FAILED, `storing frame bytes failed: ${failed?.[0]?.message ?? 'no reply'}`);
    await withTimeout(
      this.queue.add(FRAME_BATCH_JOB, job, { jobId: batch.batchId, removeOnComplete: true, removeOnFail: 100, attempts: 1 }),
      this.sendTimeoutMs,
      'enqueueing the batch',
    );
  }

  start(onReports: (reports: FrameReport[]) => void, onError: (error: Error) => void): void {
    if (this.running) return;
    this.running = true;
    this.reportError = onError;
    this.loop = this.readLoop(onReports, onError);
  }

  /**
   * Best effort, bounded: a shutdown must finish even when Redis is gone, and what it could not
   * clean up expires on its own (frame bytes by PX, the results stream after 10 minutes).
   */
  async close(): Promise<void> {
    this.running = false;
    this.reportError = null;
    this.reader.disconnect();
    await this.loop?.catch(() => undefined);
    await withTimeout(this.queue.close(), this.sendTimeoutMs, 'closing the queue').catch(() => undefined);
    await withTimeout(this.commands.del(this.resultsKey), this.sendTimeoutMs, 'deleting the results stream').catch(() => undefined);
    this.commands.disconnect();
    this.queueConnection.disconnect();
  }

  private async readLoop(onReports: (reports: FrameReport[]) => void, onError: (error: Error) => void): Promise<void> {
    // The stream is this instance's alone, so reading from the start never replays a stranger's reports.
    let lastId = '0-0';
    while (this.running) {
      try {
        const reply = (await this.reader.xread('COUNT', REPORTS_PER_READ, 'BLOCK', BLOCK_MS, 'STREAMS', this.resultsKey, lastId)) as Array<
          [string, Array<[string, string[]]>]
        > | null;
        if (!reply) continue;
        const entries = reply[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          lastId = id;
          const index = fields.indexOf(REPORTS_FIELD);
          const raw = index >= 0 ? fields[index + 1] : undefined;
          const reports = this.parseReports(raw, onError);
          if (reports.length > 0) onReports(reports);
        }
        // A failed trim leaves read entries until the next one; the worker's MAXLEN bounds them meanwhile.
        if (entries.length > 0)
          void this.commands.xtrim(this.resultsKey, 'MINID', lastId).catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))));
      } catch (err) {
        if (!this.running) break;
        onError(err instanceof Error ? err : new Error(String(err)));
        await sleep(100);
      }
    }
  }

  private parseReports(raw: string | undefined, onError: (error: Error) => void): FrameReport[] {
    if (raw === undefined) return [];
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      onError(new ControlPlaneError(ControlPlaneErrorCode.TRANSPORT_FAILED, 'results stream entry is not JSON'));
      return [];
    }
    if (!Array.isArray(data)) return [];
    const reports: FrameReport[] = [];
    for (const item of data) {
      const parsed = frameReportSchema.safeParse(item);
      if (parsed.success) reports.push(parsed.data);
      else onError(new ControlPlaneError(ControlPlaneErrorCode.TRANSPORT_FAILED, `malformed frame report: ${parsed.error.message}`));
    }
    return reports;
  }
}
