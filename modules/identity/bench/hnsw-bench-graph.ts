// The saved 100k-vector graphs and the queries that bench:identity-sweep and bench:identity-simd
// measure: bench:identity's seeded vectors (seed = size) in insertion order, queries a stored
// vector + 0.3 noise (recall@1 = that vector found first). A graph is built once per
// (size, M, efConstruction) and saved under `dir`, so later runs only load it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { HierarchicalNSW } from 'hnswlib-node';
import { seededVectors, seededVectorStream } from '../testing/seeded-vectors';

export const DIMS = 1024;
export const QUERIES = 1000;

export interface Query {
  target: number;
  vector: number[];
}

export const load = (): string => loadavg().map((l) => l.toFixed(2)).join('/');

/** The stored vector query `q` is a noisy copy of. */
export const targetOf = (q: number, size: number): number => (q * 7919) % size;

/** The graph file of (size, M, efConstruction), built and saved when absent; and the re-seen queries. */
export async function savedGraph(dir: string, size: number, m: number, efc: number): Promise<{ file: string; buildS: number; queries: Query[] }> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${size}-d${DIMS}-m${m}-efc${efc}.idx`);
  const meta = `${file}.json`;
  const wanted = new Set(Array.from({ length: QUERIES }, (_, q) => targetOf(q, size)));
  const bases = new Map<number, number[]>();
  const saved = existsSync(file) && existsSync(meta);
  const index = new HierarchicalNSW('cosine', DIMS);
  if (!saved) index.initIndex({ maxElements: size, m, efConstruction: efc, randomSeed: 100, allowReplaceDeleted: false });
  const t0 = performance.now();
  let label = 0;
  // Labels in insertion order, as HnswVectorIndex gives them.
  for (const v of seededVectorStream(size, DIMS, size)) {
    if (wanted.has(label)) bases.set(label, v);
    if (!saved) {
      index.addPoint(v, label);
      if ((label + 1) % 10_000 === 0) console.log(`  M=${m} efC=${efc}: ${label + 1} added, ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}`);
    }
    label++;
  }
  const queries = seededVectors(QUERIES, DIMS, 4242).map((noise, q) => {
    const base = bases.get(targetOf(q, size))!;
    const mixed = base.map((x, i) => x + 0.3 * noise[i]!);
    const norm = Math.hypot(...mixed);
    return { target: targetOf(q, size), vector: mixed.map((x) => x / norm) };
  });
  if (saved) return { file, buildS: (JSON.parse(readFileSync(meta, 'utf8')) as { buildS: number }).buildS, queries };
  const buildS = (performance.now() - t0) / 1000;
  await index.writeIndex(file);
  writeFileSync(meta, JSON.stringify({ size, dims: DIMS, m, efc, buildS, load: load() }));
  return { file, buildS, queries };
}
