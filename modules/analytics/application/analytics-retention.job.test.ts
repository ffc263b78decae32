import { ManualClock } from '@trinetra/shared';
import type { AnalyticsRetentionRepository } from '../infra/analytics-retention.repository';
import { AnalyticsRetentionJob, retentionCutoff } from './analytics-retention.job';

const DAY = 86_400_000;

function fakeRepository(rowsPerTable: number, failTable?: string) {
  const calls: { tenantId: string; table: string; before: Date; limit: number }[] = [];
  const left = new Map<string, number>();
  const repository = {
    tenants: async () => [
      { tenantId: 't1', retentionDays: 90 },
      { tenantId: 't2', retentionDays: 7 },
    ],
    deleteBatch: async (tenantId: string, table: string, before: Date, limit: number) => {
      if (table === failTable) throw new Error('boom');
      calls.push({ tenantId, table, before, limit });
      const key = `${tenantId}/${table}`;
      const n = Math.min(limit, left.get(key) ?? rowsPerTable);
      left.set(key, (left.get(key) ?? rowsPerTable) - n);
      return n;
    },
  } as unknown as AnalyticsRetentionRepository;
  return { repository, calls };
}

describe('AnalyticsRetentionJob (manual clock, fake store)', () => {
  it('cuts at the start of the UTC day retentionDays ago', () => {
    const now = Date.UTC(2026, 11, 1, 15, 30);
    expect(retentionCutoff(now, 90).toISOString()).toBe('2026-09-02T00:00:00.000Z');
    expect(retentionCutoff(Date.UTC(2026, 11, 1), 1).getTime()).toBe(Date.UTC(2026, 11, 1) - DAY);
  });

  it('deletes in batches until a short batch, per tenant and table, with each tenant cutoff', async () => {
    const { repository, calls } = fakeRepository(5);
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 15, 30));
    const job = new AnalyticsRetentionJob({ repository, clock, logger: { warn: () => undefined, error: () => undefined } }, { batchSize: 2 });
    const run = await job.runOnce();
    expect(run.failures).toBe(0);
    // 5 rows in batches of 2: 2, 2, 1 -> three calls per table.
    expect(calls.filter((c) => c.tenantId === 't1' && c.table === 'ZoneEvent').map((c) => c.limit)).toEqual([2, 2, 2]);
    expect(run.deleted).toContainEqual({ tenantId: 't2', table: 'HeatmapDay', rows: 5 });
    expect(calls.find((c) => c.tenantId === 't2')!.before.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('logs a failing table, counts it, and goes on with the others', async () => {
    const { repository, calls } = fakeRepository(1, 'Alert');
    const errors: string[] = [];
    const job = new AnalyticsRetentionJob({ repository, clock: new ManualClock(0), logger: { warn: () => undefined, error: (_c, m) => errors.push(m) } });
    const run = await job.runOnce();
    expect(run.failures).toBe(2);
    expect(errors).toHaveLength(2);
    expect(calls.some((c) => c.table === 'HeatmapDay')).toBe(true);
  });

  it('runs a minute after start and then every period, until stopped', async () => {
    jest.useFakeTimers();
    try {
      const { repository, calls } = fakeRepository(0);
      const job = new AnalyticsRetentionJob({ repository, clock: new ManualClock(0), logger: { warn: () => undefined, error: () => undefined } }, { everyMs: 3_600_000 });
      job.start();
      await jest.advanceTimersByTimeAsync(59_000);
      expect(calls).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1_000);
      const perPass = calls.length;
      expect(perPass).toBeGreaterThan(0);
      await jest.advanceTimersByTimeAsync(3_600_000);
      expect(calls.length).toBe(2 * perPass);
      await job.stop();
      await jest.advanceTimersByTimeAsync(10 * 3_600_000);
      expect(calls.length).toBe(2 * perPass);
    } finally {
      jest.useRealTimers();
    }
  });
});
