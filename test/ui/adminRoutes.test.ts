/**
 * The two admin-only routes the admin page relies on, over HTTP: acquisition settings (read,
 * validated replace) and a retrain job's state.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  AcquisitionSettingsAnswerSchema,
  RetrainAcceptedSchema,
  RetrainJobSchema,
} from '@al/contract';
import { createFixtureProject, type Fixture } from '../server/helpers';
import { ADMIN_TOKEN, startUiServer, type UiServer } from './uiHarness';

let server: UiServer;
let other: Fixture;

before(async () => {
  server = await startUiServer(3);
  other = await createFixtureProject(server.db.knex, { name: 'other', samples: 1 });
});

after(async () => {
  await server.close();
  await other.cleanup();
});

function call(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
  if (init.body !== undefined) headers.set('Content-Type', 'application/json');
  return fetch(`${server.url}${path}`, { ...init, headers });
}

test('settings: 401 without the token, defaults for a fresh project, validated replace', async () => {
  assert.equal((await call('/api/projects/digits/settings')).status, 401);
  assert.equal((await call('/api/projects/digits/settings', { token: 'wrong' })).status, 401);
  assert.equal((await call('/api/projects/nope/settings', { token: ADMIN_TOKEN })).status, 404);

  const fresh = AcquisitionSettingsAnswerSchema.parse(
    await (await call('/api/projects/digits/settings', { token: ADMIN_TOKEN })).json(),
  );
  assert.equal(fresh.settings.function, 'margin');
  assert.ok(fresh.choices.function.includes('entropy'));

  for (const bad of [{ min_distance: 5 }, { typo_key: 1 }, { retrain_every_labels: 0.5 }]) {
    const res = await call('/api/projects/digits/settings', {
      token: ADMIN_TOKEN,
      method: 'PUT',
      body: JSON.stringify(bad),
    });
    assert.equal(res.status, 400, JSON.stringify(bad));
  }
  const saved = await call('/api/projects/digits/settings', {
    token: ADMIN_TOKEN,
    method: 'PUT',
    body: JSON.stringify({ diversity: false, retrain_every_labels: 25 }),
  });
  assert.equal(saved.status, 200);
  const row = await server.db
    .knex('projects')
    .where({ name: 'digits' })
    .first<{ acquisition: Record<string, unknown> } | undefined>('acquisition');
  assert.ok(row);
  assert.equal(row.acquisition.diversity, false);
  assert.equal(row.acquisition.retrain_every_labels, 25);
  assert.equal(row.acquisition.function, 'margin', 'keys left out take their defaults');
  // A bad write leaves the stored settings alone.
  assert.equal(row.acquisition.min_distance, 0.05);
});

test('retrain job state: admin-only, per project, with the version of its model', async () => {
  const started = await call('/api/projects/digits/retrain', {
    token: ADMIN_TOKEN,
    method: 'POST',
  });
  assert.equal(started.status, 202);
  const { jobId } = RetrainAcceptedSchema.parse(await started.json());

  assert.equal((await call(`/api/projects/digits/retrain/${jobId}`)).status, 401);
  assert.equal(
    (await call(`/api/projects/other/retrain/${jobId}`, { token: ADMIN_TOKEN })).status,
    404,
    "another project's job is not found",
  );
  assert.equal(
    (await call('/api/projects/digits/retrain/abc', { token: ADMIN_TOKEN })).status,
    400,
  );

  const queued = RetrainJobSchema.parse(
    await (await call(`/api/projects/digits/retrain/${jobId}`, { token: ADMIN_TOKEN })).json(),
  );
  assert.deepEqual([queued.status, queued.modelVersion], ['queued', null]);
});
