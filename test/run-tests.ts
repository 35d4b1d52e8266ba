/**
 * Runs the test files with node's test runner against one real PostgreSQL cluster started
 * here (own port, own data folder), so test files only create databases, not clusters.
 * Usage: tsx test/run-tests.ts [files or folders...]
 * TEST_OUTPUT_FILE=<file> also writes everything the run prints there (with TEST_LOG_LEVEL=debug,
 * every in-process server log too), e.g. to grep a whole run for secrets.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { startTestCluster, TEST_PG_ADMIN_URL_ENV } from '@al/db/testing';

const DEFAULT_ROOTS = [
  'packages',
  'db/src',
  'server/src',
  'orchestrator/src',
  'labeller-ui/src',
  'test',
];

/** Node 20's test runner takes no globs: expand folders into their *.test.ts files. */
async function testFiles(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => e.name !== 'node_modules')
      .map((e) => {
        const full = path.join(target, e.name);
        if (e.isDirectory()) return testFiles(full);
        return Promise.resolve(e.name.endsWith('.test.ts') ? [full] : []);
      }),
  );
  return nested.flat().sort();
}

async function main(): Promise<number> {
  const targets = process.argv.slice(2);
  const files = (
    await Promise.all((targets.length > 0 ? targets : DEFAULT_ROOTS).map(testFiles))
  ).flat();
  const cluster = await startTestCluster();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void cluster.stop().finally(() => process.exit(130));
    });
  }
  console.log(`test postgres on ${cluster.adminUrl.replace(/:[^:@/]*@/, ':***@')}`);
  try {
    const outputFile = process.env.TEST_OUTPUT_FILE;
    const child = spawn(
      process.execPath,
      // --test-force-exit: a file whose tests have all ended exits even if something it started
      // still holds the event loop, so a leak fails nothing but can never stall the whole run.
      ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', ...files],
      {
        stdio: outputFile === undefined ? 'inherit' : ['inherit', 'pipe', 'pipe'],
        env: { ...process.env, [TEST_PG_ADMIN_URL_ENV]: cluster.adminUrl },
      },
    );
    if (outputFile !== undefined) {
      const copy = createWriteStream(outputFile);
      child.stdout?.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        copy.write(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        copy.write(chunk);
      });
    }
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
