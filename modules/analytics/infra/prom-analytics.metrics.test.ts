import { Registry } from 'prom-client';
import { PromAnalyticsMetrics } from './prom-analytics.metrics';

function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('analytics metrics', () => {
  it('counts journeys and VIP alerts, averages dwell over 5 minutes, and labels nothing with ids', async () => {
    let now = 1_000_000;
    const registry = new Registry();
    const metrics = new PromAnalyticsMetrics({ now: () => now });
    metrics.register(registry);
    metrics.journeysCompleted(2);
    metrics.journeysCompleted(1);
    metrics.vipAlert();
    metrics.dwellObserved(10);
    metrics.dwellObserved(20);
    let text = await registry.metrics();
    expect(valueOf(text, 'trinetra_journey_completed_total')).toBe(3);
    expect(valueOf(text, 'trinetra_vip_alerts_total')).toBe(1);
    expect(valueOf(text, 'trinetra_avg_dwell_time_seconds{zone="all"}')).toBe(15);
    // Six minutes later the window is empty: 0, not a stale mean.
    now += 6 * 60_000;
    metrics.dwellObserved(40);
    text = await registry.metrics();
    expect(valueOf(text, 'trinetra_avg_dwell_time_seconds{zone="all"}')).toBe(40);
    now += 6 * 60_000;
    text = await registry.metrics();
    expect(valueOf(text, 'trinetra_avg_dwell_time_seconds{zone="all"}')).toBe(0);
    // The only label is the closed zone class.
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    expect(new Set(labels)).toEqual(new Set(['zone="all"']));
  });
});
