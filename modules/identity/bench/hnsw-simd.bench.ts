// bench:identity-simd: the installed hnswlib-node addon (rebuilt for x86-64-v3 at install where the
// CPU has AVX2, scripts/hnswlib-simd-build.js) against the package's default build (SSE
// distances), side by side in one run on the same saved graph (M 32, efConstruction 200, the
// shipped parameters; built and saved on first use) with the same queries, alternating per query
// so both see the same machine load. Reports per ef: p50/p99 (per query the fastest of 3 passes)
// and recall@1 of each build (they must agree: same graph, same answers), and the speedup.
// Env: HNSW_SWEEP_DIR (/tmp/trinetra-hnsw-sweep), HNSW_SIMD_SIZE (100000), HNSW_SIMD_EFS (32,48,64).
// Last line: name=value pairs. Figures only: tests assert behaviour, never speed.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import type { HierarchicalNSW } from 'hnswlib-node';
import { DIMS, load, QUERIES, savedGraph } from './hnsw-bench-graph';

const SIZE = Number(process.env['HNSW_SIMD_SIZE'] ?? 100_000);
const DIR = process.env['HNSW_SWEEP_DIR'] ?? '/tmp/trinetra-hnsw-sweep';
const EFS = (process.env['HNSW_SIMD_EFS'] ?? '32,48,64').split(',').map(Number);
const PASSES = 3;
const NEIGHBOURS = 3;

type Addon = { HierarchicalNSW: typeof HierarchicalNSW };

/** The package's default build (no -march), compiled into a temporary copy of the package. */
function defaultBuild(): { addon: Addon; dispose(): void } {
  const pkg = path.dirname(require.resolve('hnswlib-node/package.json'));
  const dir = mkdtempSync(path.join(tmpdir(), 'hnswlib-default-'));
  for (const entry of readdirSync(pkg)) if (entry !== 'build') cpSync(path.join(pkg, entry), path.join(dir, entry), { recursive: true });
  const env = { ...process.env, CXXFLAGS: '' };
  // npm hands its own node-gyp to scripts it runs; outside npm, the one npx finds.
  const gyp = process.env['npm_config_node_gyp'];
  const built = gyp
    ? spawnSync(process.execPath, [gyp, 'rebuild'], { cwd: dir, env, encoding: 'utf8' })
    : spawnSync('npx', ['--yes', 'node-gyp', 'rebuild'], { cwd: dir, env, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`default hnswlib-node build failed: ${built.stderr}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addon = require(path.join(dir, 'build', 'Release', 'addon.node')) as Addon;
  return { addon, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function installedTarget(): string {
  const release = path.join(path.dirname(require.resolve('hnswlib-node/package.json')), 'build', 'Release');
  return existsSync(path.join(release, '.trinetra-x86-64-v3')) ? 'x86-64-v3' : 'default';
}

const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function main(): Promise<void> {
  const { file, queries } = await savedGraph(DIR, SIZE, 32, 200);
  const baseline = defaultBuild();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const installed = require('hnswlib-node') as Addon;
    const builds = [
      { name: 'installed', index: new installed.HierarchicalNSW('cosine', DIMS) },
      { name: 'default', index: new baseline.addon.HierarchicalNSW('cosine', DIMS) },
    ];
    for (const b of builds) await b.index.readIndex(file);
    const target = installedTarget();
    console.log(`simd: ${SIZE} vectors of ${DIMS} dims, M 32 / efConstruction 200, ${QUERIES} queries; installed build: ${target}; load ${load()}`);
    const figures: Record<string, string> = { size: String(SIZE), installed_target: target };
    for (const ef of EFS) {
      const times = builds.map(() => new Array<number>(queries.length).fill(Infinity));
      const hits = builds.map(() => 0);
      for (const b of builds) for (const q of queries.slice(0, 50)) b.index.searchKnn(q.vector, NEIGHBOURS);
      for (let pass = 0; pass < PASSES; pass++) {
        queries.forEach((q, i) => {
          builds.forEach((b, k) => {
            const s = performance.now();
            b.index.setEf(ef);
            const { neighbors } = b.index.searchKnn(q.vector, NEIGHBOURS);
            times[k]![i] = Math.min(times[k]![i]!, performance.now() - s);
            if (pass === 0 && neighbors[0] === q.target) hits[k]! += 1;
          });
        });
      }
      const [p50i, p99i, p50d, p99d] = [percentile(times[0]!, 50), percentile(times[0]!, 99), percentile(times[1]!, 50), percentile(times[1]!, 99)];
      const [ri, rd] = [hits[0]! / QUERIES, hits[1]! / QUERIES];
      console.log(`  ef=${ef}: installed p50 ${p50i.toFixed(3)} ms p99 ${p99i.toFixed(3)} ms recall@1 ${ri.toFixed(3)} | default p50 ${p50d.toFixed(3)} ms p99 ${p99d.toFixed(3)} ms recall@1 ${rd.toFixed(3)} | speedup p50 ${(p50d / p50i).toFixed(2)}x; load ${load()}`);
      Object.assign(figures, {
        [`p99_ms_ef${ef}`]: p99i.toFixed(3),
        [`p99_ms_ef${ef}_default`]: p99d.toFixed(3),
        [`recall_ef${ef}`]: ri.toFixed(3),
        [`speedup_ef${ef}`]: (p50d / p50i).toFixed(2),
      });
    }
    figures['load_avg'] = load();
    console.log(Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(' '));
  } finally {
    baseline.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
