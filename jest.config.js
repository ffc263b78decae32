// Two projects: `unit` (pure domain, no services, fast) and `integration` (real Postgres,
// Redis, BullMQ, sockets). Sources are compiled by SWC (no type check here: `npm run
// typecheck` does that) with decorator metadata, which type-graphql needs.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const workspaces = {
  '@trinetra/shared': 'modules/shared',
  '@trinetra/db': 'prisma',
  '@trinetra/tracking': 'modules/tracking',
  '@trinetra/ingest': 'modules/ingest',
  '@trinetra/analytics': 'modules/analytics',
  '@trinetra/billing-safe': 'modules/billing-safe',
  '@trinetra/identity': 'modules/identity',
  '@trinetra/gpu-worker': 'gpu-worker',
  '@trinetra/server': 'server',
};
const moduleNameMapper = {
  ...Object.fromEntries(Object.entries(workspaces).map(([name, dir]) => [`^${name}$`, `<rootDir>/${dir}/index.ts`])),
  // Test support shared by every workspace (modules/shared/testing); tests only.
  '^@trinetra/shared/testing$': '<rootDir>/modules/shared/testing/index.ts',
  // The Milvus SDK reaches uuid 14 (ES module only) through parquetjs/thrift: Node 20 requires it
  // natively, jest's loader cannot. The hoisted uuid 8 (CommonJS) has the same parse/stringify/v4.
  '^uuid$': '<rootDir>/node_modules/uuid/dist/index.js',
  // Prisma's generated TypeScript imports siblings as `./x.js` (ESM style).
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/web/.next/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // In CI a skipped test fails the run (scripts/jest-no-skips-reporter.js).
  reporters: ['default', '<rootDir>/scripts/jest-no-skips-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.test.ts'], testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      setupFiles: ['<rootDir>/scripts/jest-integration-env.js'],
      setupFilesAfterEnv: ['<rootDir>/scripts/jest-integration-timeout.js'],
    },
  ],
};
