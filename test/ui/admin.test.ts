/// <reference lib="dom" />
/**
 * The admin page in headless Chromium: a wrong token shows nothing of the data; the right one
 * shows queue stats and labellers, triggers a retrain and shows the new model version and its
 * accuracy, and saves acquisition settings to Postgres.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { connectClient } from '../server/helpers';
import {
  ADMIN_TOKEN,
  launchChromium,
  screenshot,
  startUiServer,
  TABLET,
  type UiServer,
} from './uiHarness';
import { waitUntil } from './waitUntil';

let server: UiServer;
let browser: Browser;
const LABELLER = 'secret-labeller-sam';

before(async () => {
  server = await startUiServer(40);
  browser = await launchChromium();
  // Some labels, so there is data a wrong token must not reveal.
  const socket = await connectClient(server.url, { name: LABELLER });
  for (let i = 0; i < 12; i++) {
    const next = await socket.emitWithAck('sample:next', {});
    if (!('data' in next) || !next.data.sample) throw new Error('no sample to label');
    const labelled = await socket.emitWithAck('sample:label', {
      sampleId: next.data.sample.id,
      value: String(i % 10),
    });
    assert.ok('data' in labelled);
  }
  socket.close();
  // An earlier model, so the learning curve has two points once the retrain lands.
  await insertModel(1, 6, 0.55);
});

after(async () => {
  await browser.close();
  await server.close();
});

async function insertModel(version: number, trainedOn: number, accuracy: number) {
  const project = await server.db
    .knex('projects')
    .where({ name: 'digits' })
    .first<{ id: number } | undefined>();
  if (!project) throw new Error('no digits project');
  const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const confusion = labels.map((_, t) => labels.map((_, p) => (t === p ? 8 : (t + p) % 3)));
  const [row] = await server.db
    .knex('models')
    .insert({
      project_id: project.id,
      version,
      trained_on: trainedOn,
      backend: 'test',
      metrics: JSON.stringify({
        accuracy,
        confusion,
        perClass: labels.map((label) => ({ label, precision: 0, recall: 0, f1: 0, support: 8 })),
      }),
    })
    .returning<{ id: number }[]>('id');
  return row?.id;
}

async function openAdmin(token: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  return { context, page };
}

test('a wrong admin token shows the error and nothing of the data', async () => {
  const { context, page } = await openAdmin('not-the-token');
  await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes(LABELLER), 'no labeller name');
  assert.equal(await page.locator('[data-testid="queue-stats"]').count(), 0);
  assert.equal(await page.locator('[data-testid="models"]').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Retrain now' }).count(), 0);
  await screenshot(page, 'admin-wrong-token');
  await context.close();
});

test('the right token: stats, retrain → new model version and accuracy, settings saved', async () => {
  const { context, page } = await openAdmin(ADMIN_TOKEN);
  const stats = page.locator('[data-testid="queue-stats"]');
  await stats.getByText('12 / 40').waitFor();
  await page.getByRole('row', { name: new RegExp(LABELLER) }).waitFor();

  await page.getByRole('button', { name: 'Retrain now' }).click();
  const status = page.getByTestId('retrain-status');
  await status.getByText(/Job #\d+ queued/).waitFor();
  // No orchestrator runs in this test: play its part on the job row (claim it, write model v2,
  // finish it), as orchestrator/src/jobs does, and watch the page follow each step.
  let job: { id: number } | undefined;
  await waitUntil(async () => {
    job = await server.db
      .knex('retrain_jobs')
      .where({ status: 'queued', reason: 'admin' })
      .first<{ id: number } | undefined>('id');
    return job !== undefined;
  }, 'the retrain job is queued');
  const jobRow = () => server.db.knex('retrain_jobs').where({ id: job?.id });
  await jobRow().update({ status: 'running', locked_by: 'ui-test', started_at: new Date() });
  await status.getByText(/running/).waitFor();
  const modelId = await insertModel(2, 12, 0.875);
  await jobRow().update({ status: 'done', model_id: modelId, finished_at: new Date() });
  await status.getByText(/done: model v2, accuracy 87\.5% on 12 labels/).waitFor();
  await page
    .getByTestId('model-history')
    .getByRole('row', { name: /v2 12 87\.5%/ })
    .waitFor();
  assert.equal(await page.getByTestId('learning-curve').locator('circle').count(), 2);
  assert.equal(await page.getByTestId('confusion-matrix').locator('tbody tr').count(), 10);

  await page.getByLabel('Shuffle proportion (0–1)').fill('0.25');
  await page.getByLabel('Acquisition function').selectOption('margin');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved.').waitFor();
  const project = await server.db
    .knex('projects')
    .where({ name: 'digits' })
    .first<{ acquisition: Record<string, unknown> } | undefined>();
  assert.ok(project);
  assert.equal(project.acquisition.shuffle_prop, 0.25);
  assert.equal(project.acquisition.function, 'margin');

  await screenshot(page, 'admin', true);
  await page.setViewportSize(TABLET);
  await screenshot(page, 'admin-768x1024', true);
  await context.close();
});
