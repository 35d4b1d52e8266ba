/// <reference lib="dom" />
/**
 * The admin page's agreement view in headless Chromium: three labellers answer the same digits
 * through the real queue (overlap 3), two of them right and one always answering "0"; the page
 * shows Fleiss' κ and singles out the one who disagrees, in the numbers the route computed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AgreementReportSchema } from '@al/contract';
import { getProjectByName, labelSample, nextSample } from '@al/db';
import { trueDigitLabelOf } from '@al/media';
import { ADMIN_TOKEN, launchChromium, screenshot, startUiServer, type UiServer } from './uiHarness';

let server: UiServer;
let browser: Browser;
const DIGITS = 12;

before(async () => {
  server = await startUiServer(DIGITS);
  browser = await launchChromium();
  const knex = server.db.knex;
  await knex('projects').where({ name: 'digits' }).update({ labels_per_sample: 3 });
  const project = await getProjectByName({ tx: knex, name: 'digits' });
  if (!project) throw new Error('no digits project');
  for (const labeller of ['ann', 'bob', 'rex']) {
    for (;;) {
      const sample = await nextSample(knex, { projectId: project.id, labeller, ttlSeconds: 60 });
      if (!sample) break;
      const truth = trueDigitLabelOf(sample.source_uri) ?? '0';
      // rex answers "0" to everything: right only on the zeros.
      const value = labeller === 'rex' ? '0' : truth;
      await labelSample(knex, { projectId: project.id, sampleId: sample.id, labeller, value });
    }
  }
});

after(async () => {
  await browser.close();
  await server.close();
});

test('agreement: Fleiss’ κ, and the labeller who disagrees stands out per labeller and pair', async () => {
  const res = await fetch(`${server.url}/api/projects/digits/agreement`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const report = AgreementReportSchema.parse(await res.json());
  assert.equal(report.items, DIGITS);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  const card = page.getByTestId('agreement');
  const kappa = report.fleissKappa?.toFixed(2) ?? '–';
  await card.getByText(`Fleiss’ κ ${kappa}`).waitFor();
  assert.match(
    await card.getByTestId('fleiss-kappa').innerText(),
    new RegExp(`over ${DIGITS} images`),
  );

  const perLabeller = card.getByRole('table', { name: 'Agreement per labeller' });
  const agreesOf = async (name: string) => {
    const row = perLabeller.getByRole('row', { name: new RegExp(`^${name}\\b`) });
    return Number.parseFloat((await row.locator('td').nth(2).innerText()).replace('%', ''));
  };
  const [ann, bob, rex] = [await agreesOf('ann'), await agreesOf('bob'), await agreesOf('rex')];
  assert.ok(rex < ann && rex < bob, `rex ${rex}% vs ann ${ann}%, bob ${bob}%`);
  const fromRoute = report.labellers.find((l) => l.name === 'rex')?.agreement ?? -1;
  assert.equal(rex.toFixed(1), (fromRoute * 100).toFixed(1), 'the page shows the route’s number');
  const annBob = card.getByRole('row', { name: /ann · bob/ });
  assert.match(await annBob.innerText(), /100\.0%/);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-agreement');

  // Leave rex out: the button in the labellers table, a row in the history, a retrain asked.
  const rexRow = page
    .getByRole('region', { name: 'Labels per labeller' })
    .getByRole('row', { name: /^rex\b/ });
  await rexRow.getByRole('button', { name: 'Exclude' }).click();
  await rexRow.getByRole('button', { name: 'Include' }).waitFor();
  assert.match(await rexRow.innerText(), /excluded/);
  const history = await server.db.knex('labeller_exclusions').select('labeller', 'excluded');
  assert.deepEqual(history, [{ labeller: 'rex', excluded: true }]);
  const final = await fetch(`${server.url}/api/projects/digits/labels?format=jsonl&view=final`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const answers = (await final.text())
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { answers: number }).answers);
  assert.deepEqual(new Set(answers), new Set([2]), 'ann and bob only, on every image');
  await context.close();
});
