import type { CameraStats } from './camera-driver';
import type { Scenario } from './scenario';
import type { MemorySample } from './server-sampler';

export interface TierReport {
  tier: string;
  cameras: number;
  sent: number;
  admitted: number;
  results: number;
  /** results / admitted (null when nothing was admitted). */
  resultRatio: number | null;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  /** Refused at the /ingest socket (acks), by reason. */
  refusedByReason: Record<string, number>;
  /** Admitted, then dropped in the pipeline (frame_dropped events), by reason. */
  droppedByReason: Record<string, number>;
  /** Admitted frames with neither a result nor a drop event by the end of the run. */
  unanswered: number;
}

export interface GateResult {
  gate: string;
  limit: number;
  actual: number | null;
  passed: boolean;
}

export interface LoadReport {
  scenario: string;
  apiUrl: string;
  startedAt: string;
  durationS: number;
  tiers: TierReport[];
  server: { samples: MemorySample[]; maxRssMb: number | null; maxHeapUsedMb: number | null };
  gates: GateResult[];
  passed: boolean;
}

/** Nearest-rank quantile of an ascending list (null when empty). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? null;
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

export function tierReports(stats: readonly CameraStats[]): TierReport[] {
  const byTier = new Map<string, CameraStats[]>();
  for (const s of stats) byTier.set(s.tier, [...(byTier.get(s.tier) ?? []), s]);
  return [...byTier].map(([tier, cams]) => {
    const latencies = cams.flatMap((c) => c.latenciesMs).sort((a, b) => a - b);
    const merge = (pick: (c: CameraStats) => Record<string, number>): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const c of cams) for (const [r, n] of Object.entries(pick(c))) out[r] = (out[r] ?? 0) + n;
      return out;
    };
    const droppedByReason = merge((c) => c.droppedByReason);
    const dropped = Object.values(droppedByReason).reduce((a, n) => a + n, 0);
    const sum = (f: (c: CameraStats) => number): number => cams.reduce((a, c) => a + f(c), 0);
    const admitted = sum((c) => c.admitted);
    const results = sum((c) => c.results);
    return {
      tier,
      cameras: cams.length,
      sent: sum((c) => c.sent),
      admitted,
      results,
      resultRatio: admitted === 0 ? null : Math.round((results / admitted) * 1000) / 1000,
      latencyMs: {
        p50: round(quantile(latencies, 0.5)),
        p90: round(quantile(latencies, 0.9)),
        p99: round(quantile(latencies, 0.99)),
        max: round(latencies.at(-1) ?? null),
      },
      refusedByReason: merge((c) => c.refusedByReason),
      droppedByReason,
      unanswered: Math.max(0, admitted - results - dropped),
    };
  });
}

/** Every gate of the scenario against the figures; a gate whose figure is missing fails. */
export function evaluateGates(scenario: Scenario, tiers: readonly TierReport[], maxRssMb: number | null): GateResult[] {
  const out: GateResult[] = [];
  const tier = (t: string): TierReport | undefined => tiers.find((r) => r.tier === t);
  for (const [t, limit] of Object.entries(scenario.gates.p99MsByTier ?? {})) {
    const actual = tier(t)?.latencyMs.p99 ?? null;
    out.push({ gate: `p99_ms.${t} <=`, limit, actual, passed: actual !== null && actual <= limit });
  }
  for (const [t, limit] of Object.entries(scenario.gates.minResultRatioByTier ?? {})) {
    const actual = tier(t)?.resultRatio ?? null;
    out.push({ gate: `result_ratio.${t} >=`, limit, actual, passed: actual !== null && actual >= limit });
  }
  if (scenario.gates.maxServerRssMb !== undefined) {
    out.push({
      gate: 'server_rss_mb <=',
      limit: scenario.gates.maxServerRssMb,
      actual: round(maxRssMb),
      passed: maxRssMb !== null && maxRssMb <= scenario.gates.maxServerRssMb,
    });
  }
  return out;
}

export function maxOf(values: ReadonlyArray<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.max(...present);
}

/** A few lines for the terminal; the JSON report has everything. */
export function summary(report: LoadReport): string {
  const lines = [`scenario ${report.scenario} against ${report.apiUrl}: ${report.durationS} s`];
  for (const t of report.tiers) {
    const reasons = (counts: Record<string, number>): string =>
      Object.entries(counts)
        .map(([r, n]) => `${r}=${n}`)
        .join(' ') || '-';
    lines.push(
      `  ${t.tier.padEnd(11)} cams=${t.cameras} sent=${t.sent} admitted=${t.admitted} results=${t.results} ratio=${t.resultRatio ?? '-'} p50=${t.latencyMs.p50 ?? '-'}ms p99=${t.latencyMs.p99 ?? '-'}ms refused: ${reasons(t.refusedByReason)} dropped: ${reasons(t.droppedByReason)} unanswered=${t.unanswered}`,
    );
  }
  lines.push(`  server max rss=${round(report.server.maxRssMb) ?? '-'} MiB, max heap used=${round(report.server.maxHeapUsedMb) ?? '-'} MiB`);
  for (const g of report.gates) lines.push(`  gate ${g.gate} ${g.limit}: ${g.actual ?? 'no value'} ${g.passed ? 'PASS' : 'FAIL'}`);
  lines.push(report.passed ? 'load: all gates passed' : 'load: GATE FAILED');
  return lines.join('\n');
}
