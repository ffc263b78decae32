import { createHash } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { UsageEntry } from '../domain/usage-meter';

/** The Redis stream metered units wait in until the ledger writer has inserted them (docs/QUOTAS.md, "Usage outbox"). */
export const USAGE_OUTBOX_STREAM = 'trinetra:usage:outbox';

/**
 * XADD of the unit, then PUBLISH of the message: one script, so Redis runs both or neither (a
 * script is atomic), in one command on the caller's path. XADD first: should it fail, nothing is
 * published.
 */
const PUBLISH_WITH_UNIT = `redis.call('XADD', KEYS[1], '*', 't', ARGV[3], 'm', ARGV[4], 'k', ARGV[5], 'q', ARGV[6], 'at', ARGV[7])
return redis.call('PUBLISH', ARGV[1], ARGV[2])`;
const PUBLISH_WITH_UNIT_SHA = createHash('sha1').update(PUBLISH_WITH_UNIT).digest('hex');

/**
 * Appends metered units to the usage outbox (a Redis stream). No Postgres here: one XADD per
 * unit; {@link publishWithUnit} publishes a frame result and appends its unit in one atomic
 * script, so a frame result is published iff its unit is recorded. {@link UsageOutboxDrain} moves the stream into
 * the ledger. A unit is never trimmed from the stream before the ledger holds it.
 */
export class RedisUsageOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly stream = USAGE_OUTBOX_STREAM,
  ) {}

  /**
   * Publishes `message` on `channel` and appends its unit in one atomic script (EVALSHA; EVAL
   * after Redis lost its script cache). The frame path's way: a frame is delivered iff counted.
   */
  async publishWithUnit(channel: string, message: string, tenantId: string, entry: UsageEntry): Promise<void> {
    const args = [channel, message, tenantId, entry.meter, entry.idempotencyKey, String(entry.quantity), String(entry.occurredAt.getTime())];
    try {
      await this.redis.evalsha(PUBLISH_WITH_UNIT_SHA, 1, this.stream, ...args);
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error;
      await this.redis.eval(PUBLISH_WITH_UNIT, 1, this.stream, ...args);
    }
  }

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
