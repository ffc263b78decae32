// The dashboard's production build, made only when it is missing or older than its sources.
// One implementation for `npm start` and `npm test` (which builds it before jest runs, so the
// browser test files never start `next build` side by side: Next refuses a second build in
// the same folder).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const webDir = path.resolve(__dirname, '..', 'web');
const buildIdFile = path.join(webDir, '.next', 'BUILD_ID');
const SKIP = new Set(['node_modules', '.next', 'e2e', '.certs']);

/** Newest modification time under a folder, skipping build output, dependencies and tests. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function dashboardBuildIsCurrent() {
  return fs.existsSync(buildIdFile) && fs.statSync(buildIdFile).mtimeMs >= newestMtime(webDir);
}

/**
 * Builds the dashboard unless its build is current (or `force`). Returns true when the build is
 * usable; prints Next's output on failure.
 */
function ensureDashboardBuild({ force = false, log = console.log } = {}) {
  if (!force && dashboardBuildIsCurrent()) return true;
  log('building the dashboard (next build)...');
  const nextBin = require.resolve('next/dist/bin/next', { paths: [webDir] });
  const built = spawnSync(process.execPath, [nextBin, 'build'], { cwd: webDir, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  return built.status === 0;
}

module.exports = { ensureDashboardBuild, dashboardBuildIsCurrent };

if (require.main === module) process.exit(ensureDashboardBuild({ force: process.argv.includes('--force') }) ? 0 : 1);
