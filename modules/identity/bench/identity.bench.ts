// bench:identity: the embedded vector index at 10k and 100k faceres-sized vectors (search p50/p99,
// recall@1 against brute force), enrol and match throughput, and the open set on the shared
// faces with the shipped thresholds. Last line: name=value pairs ending with true_accept=,
// false_accept=, threshold=. Figures only: tests assert behaviour, never speed.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GalleryMatcher } from '../application/gallery-matcher';
import { IdentityMetrics } from '../application/identity-metrics';
import type { FaceEmbeddingPort } from '../application/face-embedding.port';
import { FACERES_THRESHOLDS } from '../domain/matching-policy';
import { HnswVectorIndex } from '../infra/hnsw-vector-index';
import { seededVectors } from '../testing/seeded-vectors';

const DIMS = 1024;
const QUERIES = 1000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function indexFigures(size: number): Promise<Record<string, string>> {
  const index = new HnswVectorIndex();
  const tenant = randomUUID();
  const vectors = seededVectors(size, DIMS, size);
  const rows = vectors.map((vector) => ({ id: randomUUID(), personId: randomUUID(), vector }));
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 1000) await index.upsert(tenant, 'faceres', rows.slice(i, i + 1000));
  const buildS = (performance.now() - t0) / 1000;
  // Queries near stored vectors (a re-seen face), so recall@1 is meaningful.
  const queries = seededVectors(QUERIES, DIMS, 4242).map((noise, q) => {
    const base = vectors[(q * 7919) % size]!;
    const mixed = base.map((x, i) => x + 0.3 * noise[i]!);
    const n = Math.hypot(...mixed);
    return { target: rows[(q * 7919) % size]!.personId, vector: mixed.map((x) => x / n) };
  });
  for (const q of queries.slice(0, 50)) await index.search(tenant, 'faceres', q.vector, 1); // warm-up
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const s = performance.now();
    const [top] = await index.search(tenant, 'faceres', q.vector, 1);
    times.push(performance.now() - s);
    if (top?.personId === q.target) hits++;
  }
  times.sort((a, b) => a - b);
  const matcher = new GalleryMatcher(index, { thresholdOffsetOf: async () => ({ thresholdOffset: 0 }) }, new IdentityMetrics());
  const m0 = performance.now();
  for (const q of queries) await matcher.match(tenant, { model: 'faceres', embedding: q.vector });
  const matchPerS = QUERIES / ((performance.now() - m0) / 1000);
  await index.close();
  const k = `${size / 1000}k`;
  console.log(
    `index ${k}: build ${buildS.toFixed(1)} s (${(size / buildS).toFixed(0)} vectors/s), search p50 ${percentile(times, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(times, 99).toFixed(3)} ms, recall@1 ${(hits / QUERIES).toFixed(3)}, match ${matchPerS.toFixed(0)}/s`,
  );
  return {
    [`search_p50_ms_${k}`]: percentile(times, 50).toFixed(3),
    [`search_p99_ms_${k}`]: percentile(times, 99).toFixed(3),
    [`recall_at_1_${k}`]: (hits / QUERIES).toFixed(3),
    [`insert_per_s_${k}`]: (size / buildS).toFixed(0),
    [`match_per_s_${k}`]: matchPerS.toFixed(0),
  };
}

/** The server's embedder, loaded only here (identity never loads a model itself). */
async function faceEmbedder(): Promise<FaceEmbeddingPort> {
  const { LazyFaceEmbedder } = (await import(path.join(__dirname, '../../../server/app/identity-face-embedder'))) as { LazyFaceEmbedder: new () => FaceEmbeddingPort };
  return new LazyFaceEmbedder();
}

async function sharedFacesFigures(): Promise<Record<string, string>> {
  const dir = process.env['SHARED_DATA_DIR'] ? path.join(process.env['SHARED_DATA_DIR'], 'faces') : path.resolve(__dirname, '../../../../shared/data/faces');
  if (!existsSync(dir)) throw new Error(`shared faces not found at ${dir}: the open-set figures need them`);
  const faces = await faceEmbedder();
  const photo = (p: string, n: number) => readFileSync(path.join(dir, p, `${p}${n}.png`));
  const embedOne = async (p: string, n: number) => {
    const [r] = await faces.embedFacePhotos([photo(p, n)]);
    if (!r?.ok) throw new Error(`${p}${n} not embeddable`);
    return r.embedding;
  };
  await embedOne('amy', 1); // load the model outside the timing
  const tenant = randomUUID();
  const index = new HnswVectorIndex();
  const enrolled = ['amy', 'howard', 'penny'];
  const ids = new Map(enrolled.map((p) => [p, randomUUID()]));
  const e0 = performance.now();
  for (const p of enrolled) {
    const results = await faces.embedFacePhotos([photo(p, 1), photo(p, 2)]);
    await index.upsert(tenant, 'faceres', results.map((r) => ({ id: randomUUID(), personId: ids.get(p)!, vector: r.ok ? r.embedding : [] })));
  }
  const enrolPerS = enrolled.length / ((performance.now() - e0) / 1000);
  const matcher = new GalleryMatcher(index, { thresholdOffsetOf: async () => ({ thresholdOffset: 0 }) }, new IdentityMetrics());
  let trueAccept = 0;
  let genuine = 0;
  let falseAccept = 0;
  let strangers = 0;
  const m0 = performance.now();
  for (const p of enrolled) {
    for (const n of [3, 4, 5]) {
      const d = await matcher.match(tenant, { model: 'faceres', embedding: await embedOne(p, n) });
      genuine++;
      if (d.kind === 'MATCH' && d.personId === ids.get(p)) trueAccept++;
      else if (d.kind === 'MATCH') falseAccept++;
    }
  }
  for (const p of ['bernadette', 'leonard']) {
    for (const n of [1, 2, 3, 4, 5]) {
      const d = await matcher.match(tenant, { model: 'faceres', embedding: await embedOne(p, n) });
      strangers++;
      if (d.kind === 'MATCH') falseAccept++;
    }
  }
  const photoMatchPerS = (genuine + strangers) / ((performance.now() - m0) / 1000);
  console.log(
    `shared faces: enrol ${enrolPerS.toFixed(1)} people/s (2 photos each, embedding included), photo match ${photoMatchPerS.toFixed(1)}/s (embedding included); ` +
      `true accepts ${trueAccept}/${genuine}, false accepts ${falseAccept} (of ${strangers} stranger photos and ${genuine} enrolled queries), threshold ${FACERES_THRESHOLDS.accept}`,
  );
  return {
    enrol_people_per_s: enrolPerS.toFixed(1),
    photo_match_per_s: photoMatchPerS.toFixed(1),
    true_accept: (trueAccept / genuine).toFixed(3),
    false_accept: String(falseAccept),
    threshold: FACERES_THRESHOLDS.accept.toFixed(3),
  };
}

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_IDENTITY_SIZES'] ?? '10000,100000').split(',').map(Number);
  const figures: Record<string, string> = {};
  for (const size of sizes) Object.assign(figures, await indexFigures(size));
  Object.assign(figures, await sharedFacesFigures());
  console.log(Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' '));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
