// bench:identity-sweep: chooses the embedded index's HNSW parameters. Builds one 100k index of
// faceres-sized (1024-d) seeded vectors per (M, efConstruction), the same vectors and queries as
// bench:identity, saved under /tmp so a rerun loads it instead of building again (a build takes
// minutes), then sweeps the search breadth ef: search p50/p99 (per query the fastest of 3 passes) and recall@1 of re-seen faces, the
// latency of strangers (not enrolled, the expensive case), a two-step ef (retry wider only when the
// first answer is below the accept threshold), and the 'ip' space against 'cosine' on the same graph.
// Last line: name=value pairs, ending with the best setting whose p99 is under HNSW_SWEEP_P99_MS.
//
// Env: HNSW_SWEEP_SIZE (100000), HNSW_SWEEP_BUILDS ('16:200,32:200' as M:efConstruction),
// HNSW_SWEEP_EFS ('32,64,96,128,192,256,400'), HNSW_SWEEP_DIR (/tmp/trinetra-hnsw-sweep),
// HNSW_SWEEP_P99_MS (2). Figures only: the tests assert behaviour, never speed.
import { performance } from 'node:perf_hooks';
import { HierarchicalNSW } from 'hnswlib-node';
import { FACERES_THRESHOLDS } from '../domain/matching-policy';
import { seededVectors } from '../testing/seeded-vectors';
import { DIMS, load, QUERIES, type Query, savedGraph } from './hnsw-bench-graph';

const STRANGERS = 200;
/** bench:identity searches with k=1, which the index widens to k * MAX_EMBEDDINGS_PER_PERSON. */
const NEIGHBOURS = 3;

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const SIZE = Number(env('HNSW_SWEEP_SIZE', '100000'));
const BUILDS = env('HNSW_SWEEP_BUILDS', '16:200,32:200')
  .split(',')
  .map((b) => b.split(':').map(Number) as [number, number]);
const EFS = env('HNSW_SWEEP_EFS', '32,64,96,128,192,256,400').split(',').map(Number);
const DIR = env('HNSW_SWEEP_DIR', '/tmp/trinetra-hnsw-sweep');
const P99_LIMIT_MS = Number(env('HNSW_SWEEP_P99_MS', '2'));

interface Run {
  /** Per query, fastest of the passes. */
  times: number[];
  hits: boolean[];
  scores: number[];
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const ms = (x: number) => x.toFixed(3);

/**
 * Per query, the fastest of PASSES passes: a search is deterministic (same query, same path), so the
 * repeats remove only other processes' interference on a shared machine, not the graph's own tail.
 * `rawTimes` keeps the first pass as measured.
 */
const PASSES = 3;
function run(index: HierarchicalNSW, queries: readonly Query[], ef: number): Run & { rawTimes: number[] } {
  const out = { times: [] as number[], rawTimes: [] as number[], hits: [] as boolean[], scores: [] as number[] };
  for (const q of queries.slice(0, 50)) index.searchKnn(q.vector, NEIGHBOURS); // warm-up
  for (let pass = 0; pass < PASSES; pass++) {
    queries.forEach((q, i) => {
      const s = performance.now();
      index.setEf(ef); // as HnswVectorIndex.search does on every query
      const { neighbors, distances } = index.searchKnn(q.vector, NEIGHBOURS);
      const t = performance.now() - s;
      if (pass > 0) {
        out.times[i] = Math.min(out.times[i]!, t);
        return;
      }
      out.times.push(t);
      out.rawTimes.push(t);
      out.hits.push(neighbors[0] === q.target);
      out.scores.push(1 - (distances[0] ?? 1));
    });
  }
  return out;
}

const recall = (hits: readonly boolean[]) => hits.filter(Boolean).length / hits.length;

async function main(): Promise<void> {
  const figures: Record<string, string> = {};
  const candidates: { name: string; recall: number; p99: number; p50: number }[] = [];
  // Faces never enrolled: their search finds nothing close, which is the slow path of a graph search.
  const strangers: Query[] = seededVectors(STRANGERS, DIMS, 777).map((vector) => ({ target: -1, vector }));
  console.log(`sweep: ${SIZE} vectors of ${DIMS} dims, ${QUERIES} queries (stored + 0.3 noise), ${STRANGERS} strangers, load ${load()}`);
  for (const [m, efc] of BUILDS) {
    const { file, buildS, queries } = await savedGraph(DIR, SIZE, m, efc);
    const tag = `m${m}_efc${efc}`;
    figures[`build_s_${tag}`] = buildS.toFixed(0);
    console.log(`M=${m} efC=${efc}: build ${buildS.toFixed(1)} s (${(SIZE / buildS).toFixed(0)} vectors/s), load ${load()}`);
    const runs = new Map<number, { known: Run; strangers: Run }>();
    for (const space of ['cosine', 'ip'] as const) {
      // The same graph file read as 'ip': hnswlib's cosine is ip on normalised vectors, so only the query normalisation differs.
      const index = new HierarchicalNSW(space, DIMS);
      await index.readIndex(file);
      for (const ef of space === 'cosine' ? EFS : EFS.filter((e) => e === 64 || e === 128 || e === 256)) {
        const known = run(index, queries, ef);
        const unknown = run(index, strangers, ef);
        if (space === 'cosine') runs.set(ef, { known, strangers: unknown });
        const r = recall(known.hits);
        const [p50, p99] = [percentile(known.times, 50), percentile(known.times, 99)];
        console.log(
          `  ${space} M=${m} efC=${efc} ef=${ef}: search p50 ${ms(p50)} ms, p99 ${ms(p99)} ms (single pass ${ms(percentile(known.rawTimes, 99))}), recall@1 ${r.toFixed(3)}; ` +
            `strangers p50 ${ms(percentile(unknown.times, 50))} ms, p99 ${ms(percentile(unknown.times, 99))} ms; load ${load()}`,
        );
        if (space !== 'cosine') continue;
        figures[`recall_${tag}_ef${ef}`] = r.toFixed(3);
        figures[`p99_ms_${tag}_ef${ef}`] = ms(p99);
        candidates.push({ name: `${tag}_ef${ef}`, recall: r, p99, p50 });
      }
    }
    // Two steps: ef1 first, ef2 only when ef1's best is below the accept threshold (a miss looks like a stranger).
    for (const ef1 of EFS.filter((e) => e <= 128)) {
      for (const ef2 of EFS.filter((e) => e >= 256)) {
        const a = runs.get(ef1)!;
        const b = runs.get(ef2)!;
        const retry = a.known.scores.map((s) => s < FACERES_THRESHOLDS.accept);
        const times = a.known.times.map((t, i) => t + (retry[i] ? b.known.times[i]! : 0));
        const hits = a.known.hits.map((h, i) => (retry[i] ? b.known.hits[i]! : h));
        const strangerTimes = a.strangers.times.map((t, i) => t + b.strangers.times[i]!);
        console.log(
          `  two-step M=${m} efC=${efc} ef ${ef1} then ${ef2} below ${FACERES_THRESHOLDS.accept}: p50 ${ms(percentile(times, 50))} ms, ` +
            `p99 ${ms(percentile(times, 99))} ms, recall@1 ${recall(hits).toFixed(3)}, retried ${retry.filter(Boolean).length}/${QUERIES}; ` +
            `strangers p99 ${ms(percentile(strangerTimes, 99))} ms`,
        );
      }
    }
  }
  const fitting = candidates.filter((c) => c.p99 < P99_LIMIT_MS).sort((a, b) => b.recall - a.recall || a.p99 - b.p99);
  const best = fitting[0];
  figures['best'] = best?.name ?? 'none';
  figures['best_recall_at_1'] = best ? best.recall.toFixed(3) : 'n/a';
  figures['best_p50_ms'] = best ? ms(best.p50) : 'n/a';
  figures['best_p99_ms'] = best ? ms(best.p99) : 'n/a';
  figures['p99_limit_ms'] = String(P99_LIMIT_MS);
  figures['load_avg'] = load();
  console.log(Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
