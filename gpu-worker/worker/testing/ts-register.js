/**
 * Lets tests spawn the worker straight from TypeScript (`node -r <this> gpu-worker/worker/main.ts`)
 * so an integration test never depends on a stale or half-built `dist/`: `.ts` files are
 * compiled in memory by SWC (already used by jest), `@trinetra/<pkg>` resolves to that
 * workspace's `index.ts` and a relative `./x.js` that does not exist to `./x.ts`, as jest's
 * moduleNameMapper does.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

// The shared kernel's GraphQL kit needs the metadata polyfill loaded first.
try {
  require('reflect-metadata');
} catch {
  // Not installed: nothing imports type-graphql then.
}

const root = path.resolve(__dirname, '../../..');
const workspaces = {
  '@trinetra/shared': 'modules/shared',
  '@trinetra/db': 'prisma',
  '@trinetra/tracking': 'modules/tracking',
  '@trinetra/ingest': 'modules/ingest',
  '@trinetra/analytics': 'modules/analytics',
  '@trinetra/gpu-worker': 'gpu-worker',
  '@trinetra/server': 'server',
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const dir = workspaces[request];
  if (dir) return path.join(root, dir, 'index.ts');
  try {
    return resolveFilename.call(this, request, ...rest);
  } catch (error) {
    // node16 resolution makes dynamic `import('./x.js')` name the compiled file; from source, that is `./x.ts`.
    if (error.code === 'MODULE_NOT_FOUND' && request.startsWith('.') && request.endsWith('.js')) {
      return resolveFilename.call(this, `${request.slice(0, -3)}.ts`, ...rest);
    }
    throw error;
  }
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
