/**
 * Projects made from the admin page's routes: create from a folder (the import runs in the
 * server, followed live), re-scan for new images, archive and unarchive. Real Postgres, real
 * files decoded by sharp, a real socket.io client for the archived project.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import {
  HttpErrorBodySchema,
  ImportAcceptedSchema,
  ImportJobSchema,
  ProjectListSchema,
  type ImportJob,
} from '@al/contract';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { writeCorruptImages, writePng } from '@al/media/testing';
import { connectClient, startApp, type RunningApp } from './helpers';

let db: TestDatabase;
let server: RunningApp;
let folder: string;

before(async () => {
  db = await createTestDatabase({ poolMax: 6 });
  server = await startApp(db);
  folder = await mkdtemp(path.join(tmpdir(), 'admin-projects-'));
  for (let i = 0; i < 5; i++) await writePng(folder, `cells/${String(i)}.png`, i + 1);
  await writeCorruptImages(folder);
});

after(async () => {
  await server.close();
  await db.destroy();
  await rm(folder, { recursive: true, force: true });
});

function call(method: string, route: string, body?: unknown, token = server.app.adminToken) {
  return fetch(`${server.url}/api${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Polls the import until it is no longer running, as the admin page does. */
async function finished(importId: number): Promise<ImportJob> {
  for (let i = 0; i < 200; i++) {
    const job = ImportJobSchema.parse(
      await (await call('GET', `/imports/${String(importId)}`)).json(),
    );
    if (job.status !== 'running') return job;
    await setTimeout(50);
  }
  throw new Error(`import ${String(importId)} still running`);
}

async function projectNames(archived = false): Promise<string[]> {
  const res = await call('GET', `/projects${archived ? '?archived=true' : ''}`);
  return ProjectListSchema.parse(await res.json()).map((p) => p.name);
}

const create = { name: 'cells', labels: ['live', 'dead'], source: '' };

test('create: refused without the token, with a bad body, a relative path or no folder', async () => {
  assert.equal(
    (await call('POST', '/projects', { ...create, source: folder }, 'wrong')).status,
    401,
  );
  for (const [body, message] of [
    [{ ...create, source: folder, labels: [] }, /labels/],
    [{ ...create, source: folder, labels: ['only'] }, /at least two labels/],
    [{ ...create, source: 'relative/images' }, /absolute folder path/],
    [{ ...create, source: path.join(folder, 'missing') }, /no such folder on the server/],
    [{ ...create, source: 's3://' }, /bucket/i],
  ] as const) {
    const res = await call('POST', '/projects', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(HttpErrorBodySchema.parse(await res.json()).error.message, message);
  }
  assert.deepEqual(await projectNames(), [], 'nothing was created');
  assert.equal((await call('GET', '/imports/999')).status, 404);
});

test('create from a folder, follow the import, re-scan only new images, archive', async () => {
  const res = await call('POST', '/projects', { ...create, source: folder });
  assert.equal(res.status, 202);
  const { importId } = ImportAcceptedSchema.parse(await res.json());
  const job = await finished(importId);
  assert.equal(job.status, 'done', job.error ?? '');
  assert.deepEqual([job.total, job.imported, job.failed], [7, 5, 2]);
  assert.deepEqual(job.failures.map((f) => f.path).sort(), ['broken/truncated.png', 'x.png']);
  assert.ok(job.failures.every((f) => f.reason.length > 0));
  assert.deepEqual(await projectNames(), ['cells']);

  const again = await call('POST', '/projects', { ...create, source: folder });
  assert.equal(again.status, 409);
  assert.equal(HttpErrorBodySchema.parse(await again.json()).error.code, 'CONFLICT');

  await writePng(folder, 'cells/new-1.png', 41);
  await writePng(folder, 'more/new-2.png', 42);
  const rescan = await call('POST', '/projects/cells/rescan');
  assert.equal(rescan.status, 202);
  const rescanned = await finished(ImportAcceptedSchema.parse(await rescan.json()).importId);
  assert.equal(rescanned.status, 'done');
  assert.deepEqual([rescanned.imported, rescanned.alreadyImported], [2, 5]);
  assert.deepEqual(rescanned.sources, [folder]);
  const [{ count } = { count: 0 }] = await db
    .knex('samples')
    .count<{ count: string }[]>({ count: '*' });
  assert.equal(Number(count), 7);

  const archived = await call('POST', '/projects/cells/archive', { archived: true });
  assert.deepEqual(await archived.json(), { archived: true });
  assert.deepEqual(await projectNames(), []);
  assert.deepEqual(await projectNames(true), ['cells']);
  await assert.rejects(connectClient(server.url, { name: 'ann', project: 'cells' }), /archived/);
  assert.equal((await call('POST', '/projects/cells/archive', { archived: 'yes' })).status, 400);
  await call('POST', '/projects/cells/archive', { archived: false });
  assert.deepEqual(await projectNames(), ['cells']);
  const client = await connectClient(server.url, { name: 'ann', project: 'cells' });
  client.close();
  assert.equal((await call('POST', '/projects/nope/rescan')).status, 404);
});
