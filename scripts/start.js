#!/usr/bin/env node
// `npm start`: runs the API server (which finds or starts Postgres and Redis, migrates and
// seeds) and stops everything on Ctrl-C. Later slices add the worker pool and the dashboard here.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const children = [];

function start(name, args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
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

start('server', [path.join(root, 'server/dist/main.js')]);
