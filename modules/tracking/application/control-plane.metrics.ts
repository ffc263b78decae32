import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { BREAKER_STATES, LATENCY_STAGES, type CameraHealth, type FrameSupervisor, type PipelineHealth } from '../domain/supervision';

/** Histogram buckets in seconds; 0.2 is a bucket edge because the p99 alert is "over 200 ms" (deploy/prometheus/rules.yml). */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10] as const;

type Labels = Record<string, string>;
interface Sample {
  /** Identity of the source of the value (camera, and reason for drops): ids stay in memory, never in labels. */
  key: string;
  labels: Labels;
  value: number;
}

/**
 * Turns per-camera counts (which vanish when a camera is removed, and restart at 0 when it
 * is registered again) into per-label totals that never go down, as a Prometheus counter
 * must: a camera's last seen count is folded into a retired total when it disappears or
 * restarts. Counts between the last scrape and a removal are not seen (a few seconds' worth).
 */
class MonotonicTotals {
  private readonly last = new Map<string, { group: string; labels: Labels; value: number }>();
  private readonly retired = new Map<string, { labels: Labels; value: number }>();

  totals(samples: readonly Sample[]): Array<{ labels: Labels; value: number }> {
    const seen = new Set<string>();
    for (const s of samples) {
      const group = JSON.stringify(s.labels);
      const prev = this.last.get(s.key);
      if (prev !== undefined && (s.value < prev.value || prev.group !== group)) this.retire(prev);
      this.last.set(s.key, { group, labels: s.labels, value: s.value });
      seen.add(s.key);
    }
    for (const [key, prev] of this.last) {
      if (seen.has(key)) continue;
      this.retire(prev);
      this.last.delete(key);
    }
    const out = new Map<string, { labels: Labels; value: number }>();
    for (const [group, r] of this.retired) out.set(group, { labels: r.labels, value: r.value });
    for (const s of this.last.values()) {
      const o = out.get(s.group);
      if (o) o.value += s.value;
      else out.set(s.group, { labels: s.labels, value: s.value });
    }
    return [...out.values()];
  }

  private retire(prev: { group: string; labels: Labels; value: number }): void {
    const r = this.retired.get(prev.group);
    if (r) r.value += prev.value;
    else this.retired.set(prev.group, { labels: prev.labels, value: prev.value });
  }
}

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
 * Registers the control plane's metrics on `registry`. Counts and levels are read from the
 * supervisor at scrape time (one `health()` per scrape); latencies are observed as frames are
 * delivered into cumulative histograms (seconds), so `histogram_quantile` works across replicas.
 *
 * Labels are a closed set (tier, reason, stage, state): never a camera or tenant id. /metrics
 * serves the operator of the whole pool, and ids would tell every scraper which tenants run
 * which cameras (and grow the series without bound); per-camera detail is in the tenant API.
 *
 * - `<prefix>frames_admitted_total{tier}`, `_delivered_total{tier}`, `_dropped_total{tier,reason}`
 * - `<prefix>orphaned_results_total{tier}`, `<prefix>backpressure_total{tier}`
 * - `<prefix>frames_in_flight{tier}`, `<prefix>buffer_fill_ratio{tier}` (fullest buffer of the tier),
 *   `<prefix>cameras{tier}`
 * - `<prefix>queued_frames`, `<prefix>dispatched_frames`, `<prefix>max_in_flight_frames` (queue depth)
 * - `<prefix>breaker_state{state}` (1 for the current state)
 * - `<prefix>latency_seconds{stage}` histogram: `buffer_wait`, `queue`, `end_to_end`
 * - `trinetra_detection_latency_seconds` histogram: the `inference` stage as the worker measured it
 */
export function registerControlPlaneMetrics(
  core: Pick<FrameSupervisor<unknown>, 'health' | 'telemetry'>,
  registry: Registry,
  prefix = 'trinetra_pipeline_',
  detectionMetricName = 'trinetra_detection_latency_seconds',
): void {
  let cached: { at: number; health: PipelineHealth } | null = null;
  // All collectors of one scrape share one snapshot. The first registered collector (prom-client
  // collects in registration order) takes a fresh one; the age limit covers single-metric reads.
  const snapshot = (fresh = false): PipelineHealth => {
    const now = Date.now();
    if (fresh || cached === null || now - cached.at > 100) cached = { at: now, health: core.health() };
    return cached.health;
  };
  const registers = [registry];

  let first = true;
  const counter = (name: string, help: string, labelNames: string[], samples: (cameras: readonly CameraHealth[]) => Sample[]): void => {
    const totals = new MonotonicTotals();
    const fresh = first;
    first = false;
    new Counter({
      name: `${prefix}${name}`,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const t of totals.totals(samples(snapshot(fresh).cameras))) this.inc(t.labels, t.value);
      },
    });
  };
  const perTierCounter = (name: string, help: string, value: (c: CameraHealth) => number): void =>
    counter(name, help, ['tier'], (cameras) => cameras.map((c) => ({ key: c.cameraId, labels: { tier: c.tier }, value: value(c) })));

  perTierCounter('frames_admitted_total', 'Frames accepted into supervision per tier', (c) => c.admitted);
  perTierCounter('frames_delivered_total', 'Frames delivered to the tracker per tier', (c) => c.delivered);
  perTierCounter('orphaned_results_total', 'Late or duplicate worker results discarded per tier', (c) => c.orphanedResults);
  perTierCounter('backpressure_total', 'Never-drop frames refused with backpressure per tier', (c) => c.backpressured);
  counter('frames_dropped_total', 'Frames dropped per tier and reason', ['tier', 'reason'], (cameras) =>
    cameras.flatMap((c) => c.dropsByReason.map((d) => ({ key: `${c.cameraId}\u0000${d.reason}`, labels: { tier: c.tier, reason: d.reason }, value: d.count }))),
  );

  const perTierGauge = (name: string, help: string, value: (c: CameraHealth) => number, combine: 'sum' | 'max' = 'sum'): void => {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      labelNames: ['tier'],
      registers,
      collect() {
        this.reset();
        for (const [tier, total] of byTier(snapshot().cameras, value, combine)) this.set({ tier }, total);
      },
    });
  };
  perTierGauge('frames_in_flight', 'Frames held by the control plane per tier (admitted, not yet delivered or dropped)', (c) => c.inFlight);
  perTierGauge('buffer_fill_ratio', 'Fill level 0..1 of the fullest pending buffer of the tier', (c) => c.bufferFill, 'max');
  perTierGauge('cameras', 'Cameras registered with this control plane per tier', () => 1);

  const level = (name: string, help: string, value: (h: PipelineHealth) => number): void => {
    new Gauge({
      name: `${prefix}${name}`,
      help,
      registers,
      collect() {
        this.set(value(snapshot()));
      },
    });
  };
  level('queued_frames', 'Frames waiting for dispatch to the worker pool', (h) => h.queuedFrames);
  level('dispatched_frames', 'Frames sent to the worker pool and not yet answered', (h) => h.dispatchedFrames);
  level('max_in_flight_frames', 'Most frames this control plane keeps dispatched at once', (h) => h.maxInFlightFrames);

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

  const stageLatency = new Histogram({
    name: `${prefix}latency_seconds`,
    help: 'Frame latency per stage: buffer_wait (admission to dispatch), queue (dispatch to inference start), end_to_end (capture to delivery to the tracker)',
    labelNames: ['stage'],
    buckets: [...LATENCY_BUCKETS_S],
    registers,
  });
  const detectionLatency = new Histogram({
    name: detectionMetricName,
    help: 'Inference time of a frame as the gpu-worker measured it',
    buckets: [...LATENCY_BUCKETS_S],
    registers,
  });
  // Resolved once: the listener runs four times per delivered frame.
  const inferenceIndex = LATENCY_STAGES.indexOf('inference');
  const stageChildren = LATENCY_STAGES.map((stage) => (stage === 'inference' ? undefined : stageLatency.labels({ stage })));
  core.telemetry.onRecord((stageIndex, valueMs) => {
    if (stageIndex === inferenceIndex) detectionLatency.observe(valueMs / 1000);
    else stageChildren[stageIndex]?.observe(valueMs / 1000);
  });
}
