#!/usr/bin/env node
// `npm start`: prepares the models, runs the API server (which finds or starts Postgres and
// Redis, migrates, seeds and runs the gpu-worker pool) and the dashboard, and stops everything
// on Ctrl-C.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { ensureDashboardBuild } = require('./dashboard-build');

const root = path.resolve(__dirname, '..');
const children = [];

function start(name, args, env = {}, cwd = root) {
  const child = spawn(process.execPath, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping Trinetra`);
      stop(code || 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

// The ONNX models the workers run, converted from the shipped TF.js weights when missing or
// when their source changed (quick when current).
const prepared = spawnSync(process.execPath, [path.join(root, 'gpu-worker/dist/models/prepare-models.js')], { cwd: root, stdio: 'inherit' });
if (prepared.status !== 0) {
  console.error('npm start: model preparation failed (see the [models] lines above); fix the cause and retry, or run `npm run models:prepare` on its own');
  process.exit(1);
}

// The dashboard's production build, rebuilt only when its sources changed since the last one.
const webDir = path.join(root, 'web');
if (!ensureDashboardBuild({ log: (m) => console.log(`npm start: ${m}`) })) {
  console.error('npm start: the dashboard build failed (see above)');
  process.exit(1);
}

const apiPort = process.env.PORT ?? '4000';
const dashboardPort = process.env.DASHBOARD_PORT ?? '3000';
// The server prints every URL in its start banner, the dashboard's included.
start('server', [path.join(root, 'server/dist/main.js')], { DASHBOARD_URL: `http://localhost:${dashboardPort}` });
// API_URL is where browsers reach the API; the dashboard's default is http://localhost:4000/graphql.
const apiUrl = process.env.API_URL ?? (apiPort === '4000' ? undefined : `http://localhost:${apiPort}/graphql`);
start(
  'dashboard',
  [require.resolve('next/dist/bin/next', { paths: [webDir] }), 'start', '-p', dashboardPort],
  { NEXT_TELEMETRY_DISABLED: '1', PORT: dashboardPort, ...(apiUrl ? { API_URL: apiUrl } : {}) },
  webDir,
);
