import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '@trinetra/shared';
import type { AnalyticsMetrics } from '../application/analytics-metrics';

/** The window the dwell gauge averages over, ms. */
export const DWELL_WINDOW_MS = 5 * 60_000;

/**
 * Analytics metrics in a Prometheus registry. Labels are closed sets (docs/SECURITY.md,
 * "/metrics"): `trinetra_avg_dwell_time_seconds` keeps the `zone` label the product names, but
 * its value is the zone class, never a zone id or name — zones are tenant data without bound
 * (and a name can be personal), so per-zone dwell is served as data by GraphQL `zoneStats`.
 * Today the one class is `all` (every AREA zone this process analyses); a new class must be a
 * fixed word added here. The gauge is the mean dwell of visits that ended in the last 5 minutes
 * (by this process's clock), 0 when none did.
 */
export class PromAnalyticsMetrics implements AnalyticsMetrics {
  private readonly journeys: Counter;
  private readonly vip: Counter;
  private readonly avgDwell: Gauge;
  private readonly dwell: { at: number; seconds: number }[] = [];

  /** Instruments exist from the start (the engine counts before the server registers them). */
  constructor(private readonly clock: Clock) {
    this.journeys = new Counter({
      name: 'trinetra_journey_completed_total',
      help: 'Journeys completed on a camera: tracks that visited at least one zone and then left',
      registers: [],
    });
    this.vip = new Counter({ name: 'trinetra_vip_alerts_total', help: 'VIP_ARRIVAL alerts raised', registers: [] });
    const dwell = this.dwell;
    const now = (): number => this.clock.now();
    this.avgDwell = new Gauge({
      name: 'trinetra_avg_dwell_time_seconds',
      help: 'Mean dwell of zone visits that ended in the last 5 minutes, by zone class (all: every AREA zone)',
      labelNames: ['zone'] as const,
      registers: [],
      collect() {
        const since = now() - DWELL_WINDOW_MS;
        while (dwell.length > 0 && dwell[0]!.at < since) dwell.shift();
        const sum = dwell.reduce((n, d) => n + d.seconds, 0);
        this.set({ zone: 'all' }, dwell.length === 0 ? 0 : sum / dwell.length);
      },
    });
  }

  /** Adds the instruments to the process registry (server/app). */
  register(registry: Registry): void {
    for (const metric of [this.journeys, this.vip, this.avgDwell]) registry.registerMetric(metric);
  }

  journeysCompleted(count: number): void {
    this.journeys.inc(count);
  }

  dwellObserved(seconds: number): void {
    const at = this.clock.now();
    this.dwell.push({ at, seconds });
    // Bounded even if nobody scrapes: drop what has left the window.
    if (this.dwell.length > 10_000) while (this.dwell.length > 0 && this.dwell[0]!.at < at - DWELL_WINDOW_MS) this.dwell.shift();
    if (this.dwell.length > 50_000) this.dwell.splice(0, this.dwell.length - 50_000);
  }

  vipAlert(): void {
    this.vip.inc();
  }
}
