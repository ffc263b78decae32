import { Counter, Gauge, type Registry } from 'prom-client';
import { BREAKER_STATES, type FrameSupervisor, type PipelineHealth } from '../domain/supervision';

/**
 * Registers the control plane's metrics on `registry`. Values are read from the supervisor at
 * scrape time (one `health()` per scrape), so the frame path pays nothing for them.
 *
 * - `<prefix>frames_admitted_total`, `_delivered_total{camera_id,tier}`
 * - `<prefix>frames_dropped_total{camera_id,tier,reason}`
 * - `<prefix>frames_in_flight{camera_id,tier}`, `<prefix>buffer_fill_ratio{camera_id,tier}`
 * - `<prefix>orphaned_results_total{camera_id}`, `<prefix>backpressure_total{camera_id}`
 * - `<prefix>breaker_state{state}` (1 for the current state)
 * - `<prefix>latency_ms{camera_id,stage,quantile}` (camera_id `all` = overall)
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

  new Counter({
    name: `${prefix}frames_admitted_total`,
    help: 'Frames accepted into supervision per camera',
    labelNames: ['camera_id', 'tier'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.inc({ camera_id: c.cameraId, tier: c.tier }, c.admitted);
    },
  });
  new Counter({
    name: `${prefix}frames_delivered_total`,
    help: 'Frames delivered to the tracker per camera',
    labelNames: ['camera_id', 'tier'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.inc({ camera_id: c.cameraId, tier: c.tier }, c.delivered);
    },
  });
  new Counter({
    name: `${prefix}frames_dropped_total`,
    help: 'Frames dropped per camera and reason',
    labelNames: ['camera_id', 'tier', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) for (const d of c.dropsByReason) this.inc({ camera_id: c.cameraId, tier: c.tier, reason: d.reason }, d.count);
    },
  });
  new Counter({
    name: `${prefix}orphaned_results_total`,
    help: 'Late or duplicate worker results discarded per camera',
    labelNames: ['camera_id'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.inc({ camera_id: c.cameraId }, c.orphanedResults);
    },
  });
  new Counter({
    name: `${prefix}backpressure_total`,
    help: 'Never-drop frames refused with backpressure per camera',
    labelNames: ['camera_id'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.inc({ camera_id: c.cameraId }, c.backpressured);
    },
  });
  new Gauge({
    name: `${prefix}frames_in_flight`,
    help: 'Frames held by the control plane per camera (admitted, not yet delivered or dropped)',
    labelNames: ['camera_id', 'tier'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.set({ camera_id: c.cameraId, tier: c.tier }, c.inFlight);
    },
  });
  new Gauge({
    name: `${prefix}buffer_fill_ratio`,
    help: 'Pending buffer fill level 0..1 per camera',
    labelNames: ['camera_id', 'tier'],
    registers,
    collect() {
      this.reset();
      for (const c of snapshot().cameras) this.set({ camera_id: c.cameraId, tier: c.tier }, c.bufferFill);
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
    help: 'Streaming latency quantiles per stage (camera_id "all" = overall)',
    labelNames: ['camera_id', 'stage', 'quantile'],
    registers,
    collect() {
      this.reset();
      const h = snapshot();
      const rows = [{ cameraId: 'all', latency: h.latency }, ...h.cameras];
      for (const row of rows) {
        for (const l of row.latency) {
          if (l.p50 === null || l.p90 === null || l.p99 === null) continue;
          this.set({ camera_id: row.cameraId, stage: l.stage, quantile: '0.5' }, l.p50);
          this.set({ camera_id: row.cameraId, stage: l.stage, quantile: '0.9' }, l.p90);
          this.set({ camera_id: row.cameraId, stage: l.stage, quantile: '0.99' }, l.p99);
        }
      }
    },
  });
}
