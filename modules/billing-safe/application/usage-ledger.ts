import type { UsageEntry, UsageMeter, UsageMeterName } from '../domain/usage-meter';
import type { UsageLedgerRepository } from '../infra/usage-ledger.repository';

/** See {@link BatchingUsageMeter.onAppended}. */
export type AppendedListener = (tenantId: string, meter: UsageMeterName, added: number, at: number) => Promise<void>;

/** A usage meter that writes the ledger itself: started and closed by its owner, tells the quota counters what was new. */
export interface UsageLedgerWriter extends UsageMeter {
  onAppended(listener: AppendedListener): void;
  start(): void;
  close(): Promise<void>;
}

/** Options of {@link BatchingUsageMeter}. */
export interface BatchingUsageMeterOptions {
  /** Entries kept before a flush. Default 500: one insert per 500 frames instead of one per frame. */
  maxBatch?: number;
  /** A flush at least this often. Default 1 000 ms: how far the ledger may lag behind. */
  flushIntervalMs?: number;
  /** A flush that failed (Postgres gone): its entries are kept for the next flush, and this is told. */
  onError?(error: unknown): void;
}

/**
 * Meters units into the ledger in batches per tenant, from memory: what a crash loses is lost.
 * The server meters through {@link OutboxUsageMeter} instead (durable in Redis before it is
 * counted as delivered); this one is for processes without the outbox (tests, tools). The
 * idempotency key makes the ledger exact however often a batch is retried; what a crash before
 * a flush loses is at most one interval of units.
 */
export class BatchingUsageMeter implements UsageLedgerWriter {
  private readonly pending = new Map<string, UsageEntry[]>();
  private readonly maxBatch: number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private queuedFlush: Promise<void> | null = null;
  private readonly listeners: AppendedListener[] = [];

  constructor(
    private readonly ledger: UsageLedgerRepository,
    private readonly options: BatchingUsageMeterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Told, after each batch written, how many units of a meter the ledger accepted as new (the quota counters). */
  onAppended(listener: AppendedListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  async record(tenantId: string, entries: readonly UsageEntry[]): Promise<void> {
    const list = this.pending.get(tenantId) ?? [];
    list.push(...entries);
    this.pending.set(tenantId, list);
    if (list.length >= this.maxBatch) await this.flushSoon();
  }

  /**
   * One flush for every caller that crossed the batch size while it waits: without this, each
   * frame recorded past the threshold queued a flush of its own (tens of thousands of promises
   * under load, each scanning the pending map).
   */
  private flushSoon(): Promise<void> {
    this.queuedFlush ??= this.flush().finally(() => {
      this.queuedFlush = null;
    });
    return this.queuedFlush;
  }

  /** Writes everything pending; concurrent calls run one after the other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      for (const [tenantId, entries] of [...this.pending]) {
        this.pending.delete(tenantId);
        const byMeter = new Map<UsageMeterName, UsageEntry[]>();
        for (const e of entries) byMeter.set(e.meter, [...(byMeter.get(e.meter) ?? []), e]);
        for (const [meter, list] of byMeter) {
          let added: number;
          try {
            added = await this.ledger.append(tenantId, list);
          } catch (error) {
            // Kept for the next flush: the unique key makes writing them again safe.
            this.pending.set(tenantId, [...list, ...(this.pending.get(tenantId) ?? [])]);
            this.options.onError?.(error);
            continue;
          }
          // Only what the ledger took as new: a repeat never moves the quota counters.
          for (const listener of this.listeners) {
            listener(tenantId, meter, added, list[list.length - 1]!.occurredAt.getTime()).catch((error: unknown) => this.options.onError?.(error));
          }
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
