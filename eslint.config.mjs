import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The parts meet only through package entry points (`@al/...`): a relative import into another
// part's src/ (or a deep `@al/<part>/src/...` one) is refused everywhere.
const INTO_ANOTHER_SRC = {
  regex: String.raw`^(\.\./)+(packages/[^/]+|db|server|orchestrator|labeller-ui|test)/src(/|$)|^@al/[^/]+/src(/|$)`,
  message: "Import another part through its package entry (e.g. '@al/media'), never its src/.",
};
// Test and benchmark helpers are for tests and benchmarks: product code never imports them.
const TEST_OR_BENCH_ENTRY = {
  regex: String.raw`^@al/[^/]+/(testing|bench)(/|$)`,
  message: 'Product code does not import test or benchmark helpers.',
};
const PRODUCT_ONLY = ['**/*.test.ts', '**/testing/**', '**/bench/**'];

/**
 * `no-restricted-imports` for files of one part: the rule above plus the packages it may not
 * use, and for its product files (not tests, fixtures or benchmarks) no test/bench helpers.
 */
function partBoundary(files, forbidden, why) {
  const patterns = [
    INTO_ANOTHER_SRC,
    ...(forbidden.length > 0
      ? [{ regex: `^@al/(${forbidden.join('|')})(/|$)`, message: why }]
      : []),
  ];
  return [
    { files, rules: { 'no-restricted-imports': ['error', { patterns }] } },
    {
      files,
      ignores: PRODUCT_ONLY,
      rules: {
        'no-restricted-imports': ['error', { patterns: [...patterns, TEST_OR_BENCH_ENTRY] }],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [INTO_ANOTHER_SRC] }],
    },
  },
  ...partBoundary(
    ['server/**'],
    ['orchestrator'],
    'The server meets the orchestrator only through Postgres and the shared packages.',
  ),
  ...partBoundary(
    ['orchestrator/**'],
    ['server'],
    'The orchestrator meets the server only through Postgres and the shared packages.',
  ),
  ...partBoundary(
    ['db/**'],
    ['server', 'orchestrator', 'media', 'contract', 'labeller-ui'],
    'db depends on nothing above it.',
  ),
  ...partBoundary(
    ['packages/**'],
    ['server', 'orchestrator', 'db', 'labeller-ui'],
    'Shared packages depend on no part.',
  ),
  ...partBoundary(
    ['labeller-ui/**'],
    ['server', 'orchestrator', 'db', 'media'],
    'The UI imports only the contract package.',
  ),
  {
    // Scripts that talk to a human on a terminal (CLIs, benchmarks, the test runner) may print.
    files: ['**/cli/**', '**/bench/**', 'test/run-tests.ts'],
    rules: { 'no-console': 'off' },
  },
);
