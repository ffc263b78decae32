import type { ChainableCommander, Redis } from 'ioredis';
import type { UsageEntry } from '../domain/usage-meter';

/** The Redis stream metered units wait in until the ledger writer has inserted them (docs/QUOTAS.md, "Usage outbox"). */
export const USAGE_OUTBOX_STREAM = 'trinetra:usage:outbox';

/**
 * Appends metered units to the usage outbox (a Redis stream). No Postgres here: one XADD per
 * unit, and {@link appendTo} puts it in the caller's MULTI, so a frame result is published iff
 * its unit is recorded (one atomic transaction). {@link UsageOutboxDrain} moves the stream into
 * the ledger. A unit is never trimmed from the stream before the ledger holds it.
 */
export class RedisUsageOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly stream = USAGE_OUTBOX_STREAM,
  ) {}

  /** Adds one XADD per entry to a transaction (or pipeline) the caller executes. */
  appendTo(tx: ChainableCommander, tenantId: string, entries: readonly UsageEntry[]): ChainableCommander {
    for (const e of entries) {
      tx.xadd(this.stream, '*', 't', tenantId, 'm', e.meter, 'k', e.idempotencyKey, 'q', String(e.quantity), 'at', String(e.occurredAt.getTime()));
    }
    return tx;
  }

  /** Records units on their own (webhook attempts, analyses): durable once this resolves. */
  async record(tenantId: string, entries: readonly UsageEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const results = await this.appendTo(this.redis.multi(), tenantId, entries).exec();
    const failed = results?.find(([error]) => error);
    if (!results) throw new Error('usage outbox transaction discarded');
    if (failed) throw failed[0];
  }
}
