// Rebuilds hnswlib-node (the embedded face-vector index, modules/identity/infra/hnsw-vector-index.ts)
// for x86-64-v3 (AVX2 + FMA) when this CPU has them. The package's own install compiles with the
// compiler's default target, so hnswlib's distance kernels fall back to SSE: on 1024-d face vectors
// the AVX2 build answers the same neighbours ~1.45x faster (`npm run bench:identity-simd` compares
// both builds side by side). x86-64-v3, not -march=native: an image built here must still run on
// any AVX2 server (every x86 server CPU since 2015), and AVX-512 is not on all of them.
// Runs as the root package's postinstall; idempotent (a marker beside the addon); never fails the
// install: without the rebuild the index is the same, only slower.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const TARGET = 'x86-64-v3';
const pkgDir = path.dirname(require.resolve('hnswlib-node/package.json'));
const marker = path.join(pkgDir, 'build', 'Release', `.trinetra-${TARGET}`);

function cpuHasAvx2() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return false;
  try {
    const flags = new Set(fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? []);
    return ['avx', 'avx2', 'fma', 'bmi2'].every((f) => flags.has(f));
  } catch {
    return false;
  }
}

function main() {
  if (process.env.TRINETRA_HNSW_PORTABLE === '1') return console.log('[hnswlib] TRINETRA_HNSW_PORTABLE=1: keeping the default (SSE) build');
  if (!cpuHasAvx2()) return console.log('[hnswlib] no AVX2/FMA on this CPU: keeping the default (SSE) build');
  const addon = path.join(pkgDir, 'build', 'Release', 'addon.node');
  if (fs.existsSync(marker) && fs.existsSync(addon) && fs.statSync(marker).mtimeMs >= fs.statSync(addon).mtimeMs) return;
  // npm hands its own node-gyp to lifecycle scripts; outside npm, the one npx finds.
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['npx', ['--yes', 'node-gyp', 'rebuild']];
  const t0 = Date.now();
  const built = spawnSync(cmd, args, { cwd: pkgDir, env: { ...process.env, CXXFLAGS: `${process.env.CXXFLAGS ?? ''} -march=${TARGET}`.trim() }, encoding: 'utf8' });
  if (built.status !== 0) {
    console.warn(`[hnswlib] ${TARGET} rebuild failed, the default build stays (slower searches):\n${(built.stderr || built.error?.message || '').slice(-2000)}`);
    return;
  }
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  console.log(`[hnswlib] rebuilt for ${TARGET} (AVX2/FMA distances) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main();
