import type { ChainableCommander } from 'ioredis';
import type { AppendedListener, UsageLedgerWriter } from '../application/usage-ledger';
import type { UsageEntry } from '../domain/usage-meter';
import type { RedisUsageOutbox } from './redis-usage-outbox';
import type { UsageOutboxDrain } from './usage-outbox-drain';

/**
 * The server's usage meter: units go to the Redis outbox (durable once recorded, no Postgres on
 * the caller's path) and this process's drain writes them to the ledger. `publishWithUnit` is how
 * a frame result and its unit become one atomic step.
 */
export class OutboxUsageMeter implements UsageLedgerWriter {
  constructor(
    private readonly outbox: RedisUsageOutbox,
    private readonly drain: UsageOutboxDrain,
  ) {}

  record(tenantId: string, entries: readonly UsageEntry[]): Promise<void> {
    return this.outbox.record(tenantId, entries);
  }

  appendTo(tx: ChainableCommander, tenantId: string, entries: readonly UsageEntry[]): ChainableCommander {
    return this.outbox.appendTo(tx, tenantId, entries);
  }

  publishWithUnit(channel: string, message: string, tenantId: string, entry: UsageEntry): Promise<void> {
    return this.outbox.publishWithUnit(channel, message, tenantId, entry);
  }

  onAppended(listener: AppendedListener): void {
    this.drain.onAppended(listener);
  }

  start(): void {
    this.drain.start();
  }

  close(): Promise<void> {
    return this.drain.close();
  }
}

