import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { createProject, requestRetrain, type DbRetrainJobRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase({ poolMax: 2 });
});

after(async () => {
  await db.destroy();
});

function startOrchestrator(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'orchestrator/src/cli/run.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      resolve(code);
    });
  });
  return { child, exited, output: () => output };
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('without DATABASE_URL the orchestrator refuses to start', async () => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const run = startOrchestrator(env);
  assert.equal(await run.exited, 2);
  assert.match(run.output(), /DATABASE_URL/);
});

test('runs an admin-requested job (cold start), then exits 0 on SIGTERM', async () => {
  const project = await createProject({
    tx: db.knex,
    project: { name: 'empty', options: ['a', 'b'] },
  });
  const run = startOrchestrator({
    ...process.env,
    DATABASE_URL: db.url,
    TF_BACKEND: 'cpu',
    LOG_LEVEL: 'info',
    ORCHESTRATOR_ID: 'cli-test',
  });
  await waitFor(() => run.output().includes('orchestrator running'), 60_000);
  // The trigger for a never-ordered project enqueues one itself; an admin request on top.
  await requestRetrain({ tx: db.knex, projectId: project.id, reason: 'admin', requestedBy: 't' });
  await waitFor(async () => {
    const jobs = await db.knex<DbRetrainJobRow>('retrain_jobs').where({ project_id: project.id });
    return jobs.length > 0 && jobs.every((j) => j.status === 'done');
  }, 30_000);
  const jobs = await db.knex<DbRetrainJobRow>('retrain_jobs').where({ project_id: project.id });
  assert.ok(jobs.some((j) => j.locked_by === 'cli-test'));
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0, run.output());
  assert.match(run.output(), /orchestrator stopped/);
});
