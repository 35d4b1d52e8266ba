/// <reference lib="dom" />
/**
 * Gold checks on the admin page in headless Chromium: the admin uploads a CSV of known answers
 * (a bad one is refused with its reason, nothing added), sets the share, two labellers work
 * through the real queue — one always right, one always answering "0" — and the labeller table
 * shows each one's score on the gold images they were handed, as the route counts it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ProjectStatsSchema } from '@al/contract';
import { getProjectByName, labelSample, nextSample } from '@al/db';
import { trueDigitLabelOf } from '@al/media';
import { ADMIN_TOKEN, launchChromium, screenshot, startUiServer, type UiServer } from './uiHarness';

let server: UiServer;
let browser: Browser;
const DIGITS = 40;
const GOLD = 12;

before(async () => {
  server = await startUiServer(DIGITS);
  browser = await launchChromium();
});

after(async () => {
  await browser.close();
  await server.close();
});

const csvFile = (text: string) => ({
  name: 'gold.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

test('gold: upload a CSV and set the share on the admin page; each labeller’s gold score shows', async () => {
  const knex = server.db.knex;
  const project = await getProjectByName({ tx: knex, name: 'digits' });
  if (!project) throw new Error('no digits project');
  const uris = (
    await knex('samples').where({ project_id: project.id }).orderBy('id').select('source_uri')
  ).map((r: { source_uri: string }) => r.source_uri);
  const lines = uris.slice(0, GOLD).map((u) => `"${u}",${trueDigitLabelOf(u) ?? ''}`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  const card = page.getByTestId('gold-card');
  await card.getByText('No gold images yet.').waitFor();

  await card
    .getByLabel('Gold CSV')
    .setInputFiles(csvFile(`uri,label\n${lines.join('\n')}\n/x.png,3\n`));
  await card
    .getByRole('alert')
    .getByText(/nothing was added: .*\/x\.png/)
    .waitFor();
  await card.getByLabel('Gold CSV').setInputFiles(csvFile(`uri,label\n${lines.join('\n')}\n`));
  await card.getByText(`Added ${GOLD} gold answers from gold.csv.`).waitFor();
  await card.getByLabel('Share of hand-outs (%)').fill('40');
  await card.getByRole('button', { name: 'Save share' }).click();
  await card.getByText('Gold share set to 40%.').waitFor();
  await card
    .getByTestId('gold-count')
    .getByText(`${GOLD} gold images, 40% of hand-outs.`)
    .waitFor();
  const saved = await knex('projects').where({ id: project.id }).first<{ gold_share: number }>();
  assert.equal(saved.gold_share, 0.4);

  // ann always answers right, rex always answers "0": taking turns through the real queue.
  const working = new Set(['ann', 'rex']);
  while (working.size > 0) {
    for (const labeller of [...working]) {
      const sample = await nextSample(knex, { projectId: project.id, labeller, ttlSeconds: 60 });
      if (!sample) {
        working.delete(labeller);
        continue;
      }
      const value = labeller === 'rex' ? '0' : (trueDigitLabelOf(sample.source_uri) ?? '0');
      await labelSample(knex, { projectId: project.id, sampleId: sample.id, labeller, value });
    }
  }
  const stats = ProjectStatsSchema.parse(
    await (
      await fetch(`${server.url}/api/projects/digits/stats`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json(),
  );
  const of = (name: string) => stats.labellers.find((l) => l.name === name);
  const ann = of('ann');
  const rex = of('rex');
  assert.ok(ann && rex && ann.goldAnswered > 0 && rex.goldAnswered > 0, JSON.stringify(stats));
  assert.equal(ann.goldCorrect, ann.goldAnswered);
  assert.ok(rex.goldCorrect < rex.goldAnswered, JSON.stringify(rex));

  await page.reload();
  const shown = (name: string) => page.getByTestId(`gold-${name}`);
  const pct = (correct: number, answered: number) =>
    `${((correct / answered) * 100).toFixed(1)}% of ${answered}`;
  await shown('ann').getByText(pct(ann.goldCorrect, ann.goldAnswered)).waitFor();
  await shown('rex').getByText(pct(rex.goldCorrect, rex.goldAnswered)).waitFor();
  await page.getByTestId('gold-card').scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-gold');
  await context.close();
});
