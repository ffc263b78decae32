// Lint rules that catch bugs, not style (Prettier owns formatting). Type-aware rules are left
// out to keep `npm run lint` fast on 2 cores; `npm run typecheck` covers types.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';


/**
 * Module boundaries (docs/ARCHITECTURE.md, "Module boundaries"): a package is reached only
 * through its `index.ts` (no deep imports, no relative paths into a sibling), and dependencies
 * point one way: shared <- ingest <- tracking; shared <- analytics; shared, db, ingest <- billing-safe
 * (ingest only for its SSRF guard); shared, db <- identity; modules never import the
 * server, the worker or the dashboard. Declared dependencies are checked by
 * scripts/check-workspace-deps.js (part of `npm run lint`).
 */
const deepImports = {
  // `@trinetra/<name>/testing` is a package's second, test-only entry point.
  group: ['@trinetra/*/*', '!@trinetra/*/testing', '**/modules/*/**', '../../modules/**', '../../server/**', '../../gpu-worker/**', '../../prisma/**'],
  message: 'Import another package only through its public index (`@trinetra/<name>`).',
};
const forbidden = (names, why) => ({ group: names.map((n) => `@trinetra/${n}`), message: why });
const boundaries = [
  ['modules/shared/**', [forbidden(['db', 'ingest', 'tracking', 'analytics', 'gpu-worker', 'server', 'billing-safe', 'identity'], 'modules/shared is the kernel: it depends on no other package.')]],
  ['modules/ingest/**', [forbidden(['tracking', 'analytics', 'gpu-worker', 'server', 'billing-safe'], 'ingest sits below tracking and analytics; reach them through ports it defines.')]],
  ['modules/tracking/**', [forbidden(['analytics', 'server', 'billing-safe'], 'tracking may use shared, db, ingest and the worker contract, never analytics or the server.')]],
  ['modules/analytics/**', [forbidden(['ingest', 'tracking', 'gpu-worker', 'server', 'billing-safe'], 'analytics reads cameras through the CameraDirectory port in modules/shared.')]],
  ['modules/billing-safe/**', [forbidden(['tracking', 'analytics', 'gpu-worker', 'server'], 'billing-safe hears other modules through event ports; it uses ingest only for the SSRF guard.')]],
  ['modules/identity/**', [forbidden(['ingest', 'tracking', 'analytics', 'gpu-worker', 'server', 'billing-safe'], 'identity uses shared and db only; embeddings reach it as numbers, never through the worker.')]],
  ['gpu-worker/**', [forbidden(['db', 'ingest', 'tracking', 'analytics', 'server', 'billing-safe', 'identity'], 'the worker knows only the frame-batch contract and modules/shared.')]],
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'prisma/generated/**', 'web/.next/**', 'web/next-env.d.ts', '.trinetra/**', 'artifacts/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['web/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImports] }] },
  },
  ...boundaries.map(([files, patterns]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepImports, ...patterns] }] },
  })),
  {
    files: ['**/*.test.ts', '**/test/**', '**/e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
