import { Counter, Gauge, type Registry } from 'prom-client';
import { BREAKER_STATES, type CameraHealth, type FrameSupervisor, type PipelineHealth } from '../domain/supervision';

/** Sums (or, for `max`, the maximum of) a per-camera value by tier. */
function byTier(cameras: readonly CameraHealth[], value: (c: CameraHealth) => number, combine: 'sum' | 'max' = 'sum'): Map<string, number> {
  const totals = new Map<string, number>();
  for (const c of cameras) {
    const prev = totals.get(c.tier);
    const v = value(c);
    totals.set(c.tier, prev === undefined ? v : combine === 'sum' ? prev + v : Math.max(prev, v));
  }
  return totals;
}

/**
 * Registers the control plane's metrics on `registry`. Values are read from the supervisor at
 * scrape time (one `health()` per scrape), so the frame path pays nothing for them.
 *
 * Labels are a closed set (tier, reason, stage, state): never a camera or tenant id. /metrics
 * serves the operator of the whole pool, and ids would tell every scraper which tenants run
 * which cameras (and grow the series without bound); per-camera detail is in the tenant API.
 *
 * - `<prefix>frames_admitted_total{tier}`, `_delivered_total{tier}`
 * - `<prefix>frames_dropped_total{tier,reason}`
 * - `<prefix>frames_in_flight{tier}`, `<prefix>buffer_fill_ratio{tier}` (fullest buffer of the tier)
 * - `<prefix>orphaned_results_total{tier}`, `<prefix>backpressure_total{tier}`
 * - `<prefix>breaker_state{state}` (1 for the current state)
 * - `<prefix>latency_ms{stage,quantile}` (over all cameras)
 */
export function registerControlPlaneMetrics(core: Pick<FrameSupervisor<unknown>, 'health'>, registry: Registry, prefix = 'trinetra_pipeline_'): void {
  let cached: { at: number; health: PipelineHealth } | null = null;
  // All collectors of one scrape share one snapshot.
  const snapshot = (): PipelineHealth => {
    const now = Date.now();
    if (cached === null || now - cached.at > 100) cached = { at: now, health: core.health() };
    return cached.health;
  };
  const registers = [registry];
  const perTier = (name: string, help: string, value: (c: CameraHealth) => number, kind: 'counter' | 'gauge', combine: 'sum' | 'max' = 'sum'): void => {
    const options = {
      name: `${prefix}${name}`,
      help,
      labelNames: ['tier'],
      registers,
      collect(this: Counter | Gauge) {
        this.reset();
        for (const [tier, total] of byTier(snapshot().cameras, value, combine)) {
          if (this instanceof Counter) this.inc({ tier }, total);
          else this.set({ tier }, total);
        }
      },
    };
    if (kind === 'counter') new Counter(options);
    else new Gauge(options);
  };

  perTier('frames_admitted_total', 'Frames accepted into supervision per tier', (c) => c.admitted, 'counter');
  perTier('frames_delivered_total', 'Frames delivered to the tracker per tier', (c) => c.delivered, 'counter');
  perTier('orphaned_results_total', 'Late or duplicate worker results discarded per tier', (c) => c.orphanedResults, 'counter');
  perTier('backpressure_total', 'Never-drop frames refused with backpressure per tier', (c) => c.backpressured, 'counter');
  perTier('frames_in_flight', 'Frames held by the control plane per tier (admitted, not yet delivered or dropped)', (c) => c.inFlight, 'gauge');
  perTier('buffer_fill_ratio', 'Fill level 0..1 of the fullest pending buffer of the tier', (c) => c.bufferFill, 'gauge', 'max');
  new Counter({
    name: `${prefix}frames_dropped_total`,
    help: 'Frames dropped per tier and reason',
    labelNames: ['tier', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) for (const d of c.dropsByReason) this.inc({ tier: c.tier, reason: d.reason }, d.count);
    },
  });
  new Gauge({
    name: `${prefix}breaker_state`,
    help: 'Worker pool circuit breaker state (1 = current)',
    labelNames: ['state'],
    registers,
    collect() {
      const current = snapshot().breakerState;
      for (const state of BREAKER_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: `${prefix}latency_ms`,
    help: 'Streaming latency quantiles per stage, over all cameras',
    labelNames: ['stage', 'quantile'],
    registers,
    collect() {
      this.reset();
      for (const l of snapshot().latency) {
        if (l.p50 === null || l.p90 === null || l.p99 === null) continue;
        this.set({ stage: l.stage, quantile: '0.5' }, l.p50);
        this.set({ stage: l.stage, quantile: '0.9' }, l.p90);
        this.set({ stage: l.stage, quantile: '0.99' }, l.p99);
      }
    },
  });
}
