import { Redis } from 'ioredis';
import type { AppendedListener } from '../application/usage-ledger';
import { USAGE_METERS, type UsageEntry, type UsageMeterName } from '../domain/usage-meter';
import { USAGE_OUTBOX_STREAM } from './redis-usage-outbox';

/** Where drained units go: the ledger's insert-or-ignore (returns how many were new). */
export interface LedgerAppend {
  append(tenantId: string, entries: readonly UsageEntry[]): Promise<number>;
}

export interface UsageOutboxDrainOptions {
  /** This process's name in the consumer group (unique per process start, e.g. the replica id). */
  consumer: string;
  stream?: string;
  group?: string;
  /** Entries per read (one ledger insert per tenant and meter of a read). Default 500. */
  batch?: number;
  /** How long one read waits for new entries. Default 1 000 ms. */
  blockMs?: number;
  /**
   * Entries another consumer read but has not acknowledged for this long are taken over
   * (XAUTOCLAIM): that consumer died between reading and acknowledging. Default 15 000 ms.
   */
  claimIdleMs?: number;
  /** Consumers with nothing pending and idle this long are removed from the group. Default 1 h. */
  forgetConsumerAfterMs?: number;
  onError?(error: unknown): void;
}

type StreamEntry = [id: string, fields: string[]];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Postgres 23503 (the ledger row's tenant does not exist), however the driver wraps it. */
function isForeignKeyViolation(error: unknown): boolean {
  const text = `${String(error)} ${JSON.stringify((error as { meta?: unknown } | null)?.meta ?? '')}`;
  return text.includes('23503') || /foreign key constraint/i.test(text);
}

/**
 * The ledger writer: drains the usage outbox stream into Postgres through a consumer group.
 * An entry is acknowledged and deleted only after the insert that holds it has committed; one
 * left pending by a process that died (SIGKILL between read and ack) is claimed by any live
 * drain once idle for `claimIdleMs` and inserted again, which the ledger's unique key turns
 * into a no-op when the first insert had committed. So every unit in the stream reaches the
 * ledger exactly once, and the quota counters are told only what the ledger took as new.
 */
export class UsageOutboxDrain {
  private readonly listeners: AppendedListener[] = [];
  private connection: Redis | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly stream: string;
  private readonly group: string;
  private readonly batch: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private groupReady = false;

  constructor(
    private readonly redisUrl: string,
    private readonly ledger: LedgerAppend,
    private readonly options: UsageOutboxDrainOptions,
  ) {
    this.stream = options.stream ?? USAGE_OUTBOX_STREAM;
    this.group = options.group ?? 'ledger';
    this.batch = options.batch ?? 500;
    this.blockMs = options.blockMs ?? 1_000;
    this.claimIdleMs = options.claimIdleMs ?? 15_000;
  }

  /** Told, after each insert, how many units of a meter the ledger accepted as new (the quota counters). */
  onAppended(listener: AppendedListener): void {
    this.listeners.push(listener);
  }

  /** Its own connection: the blocking read would hold up every other command on a shared one. */
  private redis(): Redis {
    this.connection ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
    return this.connection;
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    try {
      // From the stream's start: units appended before any drain ever ran are drained too.
      await this.redis().xgroup('CREATE', this.stream, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    this.groupReady = true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    await this.forgetIdleConsumers().catch((error: unknown) => this.options.onError?.(error));
    while (this.running) {
      try {
        const worked = await this.drainOnce(this.blockMs);
        if (worked < 0) await new Promise((r) => setTimeout(r, 500));
      } catch (error) {
        this.options.onError?.(error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * One round: this consumer's own unacknowledged entries (a failed insert), then entries of dead
   * consumers, then new ones (waiting up to `blockMs`). Returns the units written, or -1 when an
   * insert failed (they stay pending and are retried next round).
   */
  async drainOnce(blockMs = 0): Promise<number> {
    await this.ensureGroup();
    const redis = this.redis();
    const consumer = this.options.consumer;
    const own = (await redis.xreadgroup('GROUP', this.group, consumer, 'COUNT', this.batch, 'STREAMS', this.stream, '0')) as [string, StreamEntry[]][] | null;
    let entries = own?.[0]?.[1] ?? [];
    if (entries.length === 0) {
      const claimed = (await redis.xautoclaim(this.stream, this.group, consumer, this.claimIdleMs, '0-0', 'COUNT', this.batch)) as [string, StreamEntry[], string[]?];
      // Entries deleted while pending come back as null: nothing to insert, only to acknowledge.
      entries = (claimed[1] ?? []).filter((e): e is StreamEntry => Array.isArray(e) && Array.isArray(e[1]));
    }
    if (entries.length === 0) {
      const args: (string | number)[] = ['GROUP', this.group, consumer, 'COUNT', this.batch];
      if (blockMs > 0) args.push('BLOCK', blockMs);
      const fresh = (await (redis.xreadgroup as (...a: (string | number)[]) => Promise<unknown>)(...args, 'STREAMS', this.stream, '>')) as [string, StreamEntry[]][] | null;
      entries = fresh?.[0]?.[1] ?? [];
    }
    if (entries.length === 0) return 0;
    return this.write(entries);
  }

  private async write(entries: readonly StreamEntry[]): Promise<number> {
    const groups = new Map<string, { tenantId: string; meter: UsageMeterName; ids: string[]; units: UsageEntry[] }>();
    const malformed: string[] = [];
    for (const [id, fields] of entries) {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
      const tenantId = f.get('t');
      const meter = f.get('m') as UsageMeterName | undefined;
      const key = f.get('k');
      const quantity = Number(f.get('q'));
      const at = Number(f.get('at'));
      if (!tenantId || !UUID.test(tenantId) || !meter || !USAGE_METERS.includes(meter) || !key || !Number.isInteger(quantity) || !Number.isFinite(at)) {
        // Not ours to count (written by something else): dropped, and said so.
        malformed.push(id);
        continue;
      }
      const groupKey = `${tenantId}|${meter}`;
      const group = groups.get(groupKey) ?? { tenantId, meter, ids: [], units: [] };
      group.ids.push(id);
      group.units.push({ meter, idempotencyKey: key, quantity, occurredAt: new Date(at) });
      groups.set(groupKey, group);
    }
    if (malformed.length > 0) {
      this.options.onError?.(new Error(`usage outbox: ${malformed.length} malformed entries dropped`));
      await this.acknowledge(malformed);
    }
    let written = 0;
    let failed = false;
    for (const g of groups.values()) {
      let added: number;
      try {
        added = await this.ledger.append(g.tenantId, g.units);
      } catch (error) {
        this.options.onError?.(error);
        if (isForeignKeyViolation(error)) {
          // The tenant is gone (deleted, its ledger rows with it): nothing left to bill, and
          // retrying would hold up every unit behind these for ever.
          await this.acknowledge(g.ids);
          continue;
        }
        // Left pending: the next round reads them again (own pending first).
        failed = true;
        continue;
      }
      // Acknowledged only now: the insert has committed. A crash before this line leaves them
      // pending, and the insert that repeats them adds nothing (unique idempotency key).
      await this.acknowledge(g.ids);
      written += g.units.length;
      const last = g.units[g.units.length - 1]!.occurredAt.getTime();
      for (const listener of this.listeners) listener(g.tenantId, g.meter, added, last).catch((error: unknown) => this.options.onError?.(error));
    }
    return failed ? -1 : written;
  }

  private async acknowledge(ids: readonly string[]): Promise<void> {
    await this.redis().multi().xack(this.stream, this.group, ...ids).xdel(this.stream, ...ids).exec();
  }

  /** Consumers of earlier process starts that hold nothing: without this the group's list only grows. */
  private async forgetIdleConsumers(): Promise<void> {
    await this.ensureGroup();
    const after = this.options.forgetConsumerAfterMs ?? 3_600_000;
    const rows = (await this.redis().xinfo('CONSUMERS', this.stream, this.group)) as unknown[][];
    for (const row of rows) {
      const info = new Map<string, unknown>();
      for (let i = 0; i + 1 < row.length; i += 2) info.set(String(row[i]), row[i + 1]);
      if (Number(info.get('pending')) === 0 && Number(info.get('idle')) > after && info.get('name') !== this.options.consumer) {
        await this.redis().xgroup('DELCONSUMER', this.stream, this.group, String(info.get('name')));
      }
    }
  }

  /**
   * Stops after the round in progress, then writes what is still in the stream (a graceful stop
   * leaves the ledger current, as the in-memory writer's last flush did), for at most
   * `finalDrainMs`; anything left stays in the stream for the next writer.
   */
  async close(finalDrainMs = 5_000): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    await this.loop?.catch(() => undefined);
    this.loop = null;
    const deadline = Date.now() + finalDrainMs;
    while (wasRunning && Date.now() < deadline) {
      const written = await this.drainOnce(0).catch((error: unknown) => {
        this.options.onError?.(error);
        return -1;
      });
      if (written <= 0) break;
    }
    await this.connection?.quit().catch(() => undefined);
    this.connection = null;
  }
}
