/// <reference lib="dom" />
/**
 * The admin page in headless Chromium: a wrong token shows nothing of the data; the right one
 * shows queue stats and labellers, triggers a retrain that a real orchestrator (the JobLoop,
 * wasm backend) trains on true labels, shows the new model version and the accuracy the
 * orchestrator stored, and saves acquisition settings to Postgres.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  getProjectByName,
  labelSample,
  nextSample,
  type DbProjectRow,
  type DbRetrainJobRow,
} from '@al/db';
import type { Browser } from 'playwright-core';
import { parseAcquisitionSettings } from '@al/contract';
import { chooseBackend } from '@al/orchestrator';
import { JobLoop } from '@al/orchestrator';
import { trueDigitLabelOf } from '@al/media';
import { createLogger } from '@al/media';
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
let project: DbProjectRow;
let orchestrator: JobLoop | undefined;
const LABELLER = 'secret-labeller-sam';
/** Of the 40 demo digits; ~10% fall in the held-out share, the rest train the model. */
const LABELLED = 30;
const ORCHESTRATOR_ID = 'ui-test-orchestrator';

before(async () => {
  server = await startUiServer(40);
  browser = await launchChromium();
  const found = await getProjectByName({ tx: server.db.knex, name: 'digits' });
  if (!found) throw new Error('no digits project');
  project = found;
  // True labels through the real queue, so the orchestrator trains for real (and there is
  // data a wrong token must not reveal).
  for (let i = 0; i < LABELLED; i++) {
    const sample = await nextSample(server.db.knex, {
      projectId: project.id,
      labeller: LABELLER,
      ttlSeconds: 60,
    });
    if (!sample) throw new Error('no sample to label');
    const value = trueDigitLabelOf(sample.source_uri);
    if (value === undefined) throw new Error(`no true label for ${sample.source_uri}`);
    await labelSample(server.db.knex, {
      projectId: project.id,
      sampleId: sample.id,
      labeller: LABELLER,
      value,
    });
  }
  // Enough training labels that the job trains a model rather than only a cold-start order.
  const { min_labels_for_model } = parseAcquisitionSettings(project.acquisition);
  const [train] = await server.db
    .knex('labels as l')
    .join('samples as s', 's.id', 'l.sample_id')
    .where({ 'l.project_id': project.id, 'l.kind': 'label', 's.split': 'train' })
    .countDistinct<{ count: string | number }[]>('s.id as count');
  assert.ok(Number(train?.count) >= min_labels_for_model, `train labels: ${String(train?.count)}`);
  // An earlier model, so the learning curve has two points once the retrain lands.
  await insertEarlierModel();
});

after(async () => {
  await orchestrator?.stop();
  await browser.close();
  await server.close();
});

async function insertEarlierModel() {
  const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const confusion = labels.map((_, t) => labels.map((_, p) => (t === p ? 8 : (t + p) % 3)));
  await server.db.knex('models').insert({
    project_id: project.id,
    version: 1,
    trained_on: 6,
    backend: 'test',
    metrics: JSON.stringify({
      accuracy: 0.55,
      confusion,
      perClass: labels.map((label) => ({ label, precision: 0, recall: 0, f1: 0, support: 8 })),
    }),
  });
}

/** The page's rendering of a stored accuracy (labeller-ui/src/admin/format.ts). */
function percent(accuracy: number): string {
  return `${(accuracy * 100).toFixed(1)}%`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
  await stats.getByText(`${String(LABELLED)} / 40`).waitFor();
  await page
    .getByRole('region', { name: 'Labels per labeller' })
    .getByRole('row', { name: new RegExp(LABELLER) })
    .waitFor();

  await page.getByRole('button', { name: 'Retrain now' }).click();
  const status = page.getByTestId('retrain-status');
  await status.getByText(/Job #\d+ queued/).waitFor();
  // The real orchestrator starts only now, so the page is seen to show the queued job first.
  // Automatic triggers stay off: the admin's request is the one job it runs.
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  orchestrator = new JobLoop({
    knex: server.db.knex,
    databaseUrl: server.db.url,
    backend: await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger }),
    logger,
    instanceId: ORCHESTRATOR_ID,
    triggers: false,
  });
  await orchestrator.start();
  const jobs = () =>
    server.db.knex<DbRetrainJobRow>('retrain_jobs').where({ project_id: project.id });
  await waitUntil(
    async () => (await jobs()).some((j) => j.status === 'done' || j.status === 'failed'),
    'the orchestrator finishes the retrain job',
    60_000,
  );
  const [job, ...others] = await jobs();
  assert.equal(others.length, 0, 'only the admin request ran');
  assert.equal(job?.reason, 'admin');
  assert.equal(job.status, 'done', job.error ?? '');
  assert.equal(job.locked_by, ORCHESTRATOR_ID);
  const model = await server.db.knex('models').where({ id: job.model_id }).first<
    | {
        version: number;
        trained_on: number;
        backend: string;
        metrics: { accuracy: unknown; evaluatedOn: unknown; accuracyInterval: unknown };
      }
    | undefined
  >('version', 'trained_on', 'backend', 'metrics');
  assert.ok(model, 'the job wrote a model');
  assert.equal(model.version, 2);
  assert.equal(model.backend, 'wasm');
  const accuracy = model.metrics.accuracy;
  assert.ok(typeof accuracy === 'number', `stored accuracy: ${String(accuracy)}`);
  const shown = escapeRegExp(percent(accuracy));
  await status
    .getByText(
      new RegExp(`done: model v2, accuracy ${shown} on ${String(model.trained_on)} labels`),
    )
    .waitFor();
  const interval = model.metrics.accuracyInterval;
  assert.ok(Array.isArray(interval) && interval.length === 2, `interval: ${String(interval)}`);
  const [low, high] = interval.map((v) => (Number(v) * 100).toFixed(1));
  const heldOut = String(model.metrics.evaluatedOn);
  await page
    .getByTestId('model-history')
    .getByRole('row', {
      name: new RegExp(
        `v2 ${String(model.trained_on)} ${shown} ${String(low)}–${String(high)}% ${heldOut}`,
      ),
    })
    .waitFor();
  assert.equal(await page.getByTestId('learning-curve').locator('circle').count(), 2);
  assert.equal(await page.getByTestId('confusion-matrix').locator('tbody tr').count(), 10);

  await page.getByLabel('Shuffle proportion (0–1)').fill('0.25');
  await page.getByLabel('Acquisition function').selectOption('margin');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved.').waitFor();
  const saved = await server.db
    .knex('projects')
    .where({ name: 'digits' })
    .first<{ acquisition: Record<string, unknown> } | undefined>();
  assert.ok(saved);
  assert.equal(saved.acquisition.shuffle_prop, 0.25);
  assert.equal(saved.acquisition.function, 'margin');

  await screenshot(page, 'admin', true);
  await page.setViewportSize(TABLET);
  await screenshot(page, 'admin-768x1024', true);
  await context.close();
  await orchestrator.stop();
  orchestrator = undefined;
});
