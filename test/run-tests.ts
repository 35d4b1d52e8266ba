/**
 * Runs the test files with node's test runner against one real PostgreSQL cluster started
 * here (own port, own data folder), so test files only create databases, not clusters.
 * Usage: tsx test/run-tests.ts [file globs...]
 */
import { spawn } from 'node:child_process';
import { startTestCluster, TEST_PG_ADMIN_URL_ENV } from '../db/src/testing/testPostgres';

const DEFAULT_GLOBS = [
  'db/src/**/*.test.ts',
  'server/src/**/*.test.ts',
  'orchestrator/src/**/*.test.ts',
  'test/**/*.test.ts',
];

async function main(): Promise<number> {
  const globs = process.argv.slice(2);
  const cluster = await startTestCluster();
  console.log(`test postgres on ${cluster.adminUrl.replace(/:[^:@/]*@/, ':***@')}`);
  try {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        '--test-reporter=spec',
        ...(globs.length > 0 ? globs : DEFAULT_GLOBS),
      ],
      { stdio: 'inherit', env: { ...process.env, [TEST_PG_ADMIN_URL_ENV]: cluster.adminUrl } },
    );
    return await new Promise<number>((resolve) =>
      child.on('exit', (code) => {
        resolve(code ?? 1);
      }),
    );
  } finally {
    await cluster.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
