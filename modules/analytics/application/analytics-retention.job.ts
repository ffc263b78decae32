import type { Clock } from '@trinetra/shared';
import { RETAINED_TABLES, type AnalyticsRetentionRepository, type RetainedTable } from '../infra/analytics-retention.repository';
import type { AnalyticsLogger } from './analytics-ports';

const DAY_MS = 86_400_000;

export interface AnalyticsRetentionOptions {
  /** How often the job runs, ms. Default one hour: retention is counted in days. */
  everyMs?: number;
  /** Rows per DELETE. Default 5,000: short transactions, no long locks beside live writes. */
  batchSize?: number;
}

export interface RetentionRun {
  /** Rows deleted, per tenant and table (only where some were). */
  deleted: { tenantId: string; table: RetainedTable; rows: number }[];
  failures: number;
}

/**
 * The cutoff for a retention of `days` at `now`: the start of the UTC day `days` days ago. Day
 * aligned so a day rollup is deleted together with all of its minutes (a kept rollup never
 * answers for minutes that are gone: domain/rollup-plan.ts).
 */
export function retentionCutoff(now: number, days: number): Date {
  return new Date(Math.floor((now - days * DAY_MS) / DAY_MS) * DAY_MS);
}

/**
 * Deletes analytics rows older than each tenant's retention (default 90 days), in batches, off
 * the frame path. Idempotent: two replicas running it at once only split the work. A tenant or
 * table that fails is logged and retried on the next run.
 */
export class AnalyticsRetentionJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RetentionRun> | null = null;
  private readonly everyMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly deps: { repository: AnalyticsRetentionRepository; clock: Clock; logger: AnalyticsLogger },
    options: AnalyticsRetentionOptions = {},
  ) {
    this.everyMs = options.everyMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 5_000;
    if (!(this.batchSize >= 1)) throw new RangeError(`batchSize must be >= 1, got ${this.batchSize}`);
  }

  /** First pass a minute after start (a replica restarted more often than hourly still runs it), then every `everyMs`. */
  start(): void {
    if (this.timer) return;
    const tick = (delay: number): void => {
      this.timer = setTimeout(() => {
        void this.runOnce().finally(() => {
          if (this.timer) tick(this.everyMs);
        });
      }, delay);
      this.timer.unref();
    };
    tick(Math.min(60_000, this.everyMs));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over every tenant; a pass already going on is joined, not doubled. */
  runOnce(): Promise<RetentionRun> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<RetentionRun> {
    const run: RetentionRun = { deleted: [], failures: 0 };
    let tenants;
    try {
      tenants = await this.deps.repository.tenants();
    } catch (err) {
      this.deps.logger.error({ err }, 'analytics retention: could not list tenants');
      return { ...run, failures: 1 };
    }
    const now = this.deps.clock.now();
    for (const { tenantId, retentionDays } of tenants) {
      const before = retentionCutoff(now, retentionDays);
      for (const [table] of RETAINED_TABLES) {
        try {
          let rows = 0;
          for (;;) {
            const n = await this.deps.repository.deleteBatch(tenantId, table, before, this.batchSize);
            rows += n;
            if (n < this.batchSize) break;
          }
          if (rows > 0) run.deleted.push({ tenantId, table, rows });
        } catch (err) {
          run.failures += 1;
          this.deps.logger.error({ err, tenantId, table }, 'analytics retention: delete failed; retried on the next run');
        }
      }
    }
    return run;
  }
}
