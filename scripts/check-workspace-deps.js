#!/usr/bin/env node
// Part of `npm run lint`: every package a workspace's sources import must be declared in that
// workspace's package.json (dependencies, devDependencies for tests and benchmarks). npm
// workspaces hoist everything into the root node_modules, so an undeclared import still
// resolves locally and breaks only when the workspace is installed on its own (a container
// image, say). eslint-plugin-import's rule would need a resolver set-up per workspace and is
// not installed here; this scan is 60 lines and reads the same package.json files npm does.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const root = path.resolve(__dirname, '..');
const { workspaces } = require(path.join(root, 'package.json'));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;
const SKIP_DIRS = new Set(['node_modules', 'dist', '.next', 'generated']);

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) yield* sourceFiles(path.join(dir, entry.name));
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield path.join(dir, entry.name);
    }
  }
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const problems = [];
for (const ws of workspaces) {
  const dir = path.join(root, ws);
  const pkg = require(path.join(dir, 'package.json'));
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.devDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  for (const file of sourceFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || builtins.has(specifier)) continue;
      const name = packageOf(specifier);
      // Web's `@/…` path alias and type-only ambient packages are not dependencies.
      if (name === '@' || name.startsWith('@/') || name.startsWith('@types/')) continue;
      if (!declared.has(name)) problems.push(`${path.relative(root, file)}: imports ${name}, which ${ws}/package.json does not declare`);
    }
  }
}

if (problems.length > 0) {
  console.error(`Undeclared workspace dependencies (${problems.length}):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`workspace dependencies: every import of ${workspaces.length} workspaces is declared`);
