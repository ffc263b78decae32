import { Redis } from 'ioredis';
import { monthKey, startOfUtcMonth } from '../domain/plan-quotas';
import type { UsageMeterName } from '../domain/usage-meter';

/** Sum of one meter over a month, from the ledger (the source of truth). */
export type LedgerTotal = (tenantId: string, meter: UsageMeterName, from: Date, to: Date) => Promise<number>;

export interface RedisUsageCountersOptions {
  /** How long a counter is trusted before it is set again from the ledger. Default 60 s. */
  reconcileEveryMs?: number;
  prefix?: string;
  now?: () => number;
}

/**
 * Per tenant, meter and UTC month, a Redis counter of metered units: what the quota checks read
 * (one GET, no Postgres). The ledger stays the truth: a counter is set from the ledger's sum when
 * it is missing and again once per `reconcileEveryMs`, and between those the ledger writer adds
 * what it newly inserted (INCRBY). So a counter is at most one reconcile period off after a crash
 * between a ledger insert and its INCRBY, or an INCRBY that lands between a reconcile's SUM and SET.
 */
export class RedisUsageCounters {
  private connection: Redis | null = null;
  private readonly reconcileEveryMs: number;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly redisUrl: string,
    private readonly ledgerTotal: LedgerTotal,
    options: RedisUsageCountersOptions = {},
  ) {
    this.reconcileEveryMs = options.reconcileEveryMs ?? 60_000;
    this.prefix = options.prefix ?? 'trinetra:usage';
    this.now = options.now ?? Date.now;
  }

  /** Connects on first use, so building the module (print-schema) opens nothing. */
  private redis(): Redis {
    this.connection ??= new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
    return this.connection;
  }

  private key(tenantId: string, meter: UsageMeterName, at: number): string {
    return `${this.prefix}:${tenantId}:${meter}:${monthKey(at)}`;
  }

  /** Adds units the ledger just accepted as new (only counters that exist: a missing one is read from the ledger). */
  async add(tenantId: string, meter: UsageMeterName, quantity: number, at: number): Promise<void> {
    if (quantity <= 0) return;
    const key = this.key(tenantId, meter, at);
    // INCRBY only when the counter exists (a missing one is loaded whole from the ledger on read).
    await this.redis().eval("if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) end return nil", 1, key, quantity);
  }

  /** Units of `meter` this month: the counter, loaded or reconciled from the ledger when due. */
  async used(tenantId: string, meter: UsageMeterName): Promise<number> {
    const now = this.now();
    const key = this.key(tenantId, meter, now);
    const [[, value], [, fresh]] = (await this.redis().multi().get(key).exists(`${key}:fresh`).exec()) as [[unknown, string | null], [unknown, number]];
    if (value !== null && fresh === 1) return Number(value);
    return this.reconcile(tenantId, meter, now);
  }

  /** Sets the counter from the ledger's sum of the month. */
  async reconcile(tenantId: string, meter: UsageMeterName, at = this.now()): Promise<number> {
    const total = await this.ledgerTotal(tenantId, meter, startOfUtcMonth(at), startOfUtcMonth(at, 1));
    const key = this.key(tenantId, meter, at);
    // Kept ~40 days: a month's counter outlives its month only long enough to be read at the turn.
    await this.redis().multi().set(key, total, 'EX', 40 * 86_400).set(`${key}:fresh`, '1', 'PX', this.reconcileEveryMs).exec();
    return total;
  }

  async close(): Promise<void> {
    await this.connection?.quit().catch(() => undefined);
    this.connection = null;
  }
}
