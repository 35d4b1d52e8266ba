/// <reference lib="dom" />
/**
 * The admin review page in headless Chromium: two labellers answer the same digits through the
 * real queue (overlap 2) and disagree on half of them; a reviewer opens Review from the
 * dashboard, confirms one image and corrects another by keyboard, brings the correction back
 * with Z and decides it again, skips the rest to the end. Postgres keeps every decision as its
 * own label_reviews row, and the final-label export follows the newest one. A multi-label
 * project's review page, opened from its address, toggles options by key and submits the set.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FinalLabelRowSchema, ReviewListSchema, type ReviewCandidate } from '@al/contract';
import {
  createProject,
  getProjectByName,
  insertSamples,
  labelSample,
  nextSample,
  type DbSampleRow,
} from '@al/db';
import { trueDigitLabelOf } from '@al/media';
import {
  ADMIN_TOKEN,
  launchChromium,
  screenshot,
  startUiServer,
  UI_TIMEOUT_MS,
  type UiServer,
} from './uiHarness';
import { waitUntil } from './waitUntil';

let server: UiServer;
let browser: Browser;
const DIGITS = 8;

before(async () => {
  server = await startUiServer(DIGITS);
  browser = await launchChromium();
  const knex = server.db.knex;
  await knex('projects').where({ name: 'digits' }).update({ labels_per_sample: 2 });
  const project = await getProjectByName({ tx: knex, name: 'digits' });
  if (!project) throw new Error('no digits project');
  for (const labeller of ['ann', 'bob']) {
    for (let n = 0; ; n++) {
      const sample = await nextSample(knex, { projectId: project.id, labeller, ttlSeconds: 60 });
      if (!sample) break;
      const truth = trueDigitLabelOf(sample.source_uri) ?? '0';
      // bob is wrong on every other image he is handed: those are the disagreements.
      const value = labeller === 'bob' && n % 2 === 1 ? String((Number(truth) + 1) % 10) : truth;
      await labelSample(knex, { projectId: project.id, sampleId: sample.id, labeller, value });
    }
  }
});

after(async () => {
  await browser.close();
  await server.close();
});

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function finalLabels() {
  const res = await fetch(`${server.url}/api/projects/digits/labels?format=jsonl&view=final`, {
    headers: admin,
  });
  const rows = (await res.text())
    .trim()
    .split('\n')
    .map((line) => FinalLabelRowSchema.parse(JSON.parse(line)));
  return new Map(rows.map((r) => [r.sampleId, r]));
}

/**
 * Waits until the page shows a candidate other than `notId`, ready for a key, and returns its
 * id; or -1 once the page says there is nothing left to review.
 */
async function shownCandidate(page: Page, notId = -1): Promise<number> {
  const handle = await page.waitForFunction(
    (notId) => {
      if (document.querySelector('[data-testid="review-done"]')) return -1;
      const stage = document.querySelector<HTMLElement>(
        '[aria-label="Image under review"][data-sample-id]',
      );
      const panel = document.querySelector<HTMLElement>('[aria-label="Decision"]');
      const img = stage?.querySelector<HTMLImageElement>('img');
      if (!stage || panel?.dataset.ready !== 'true' || !img?.complete) return false;
      const id = Number(stage.dataset.sampleId);
      return id !== notId ? id : false;
    },
    notId,
    { timeout: UI_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

const reviewRows = () =>
  server.db.knex('label_reviews').orderBy('id').select('sample_id', 'reviewer', 'value');

test('review page: confirm and correct by keyboard, append-only rows, final labels follow', async () => {
  const listRes = await fetch(`${server.url}/api/projects/digits/review?limit=100`, {
    headers: admin,
  });
  const candidates = ReviewListSchema.parse(await listRes.json());
  const disagreed = candidates.filter((c) => new Set(c.votes.map((v) => v.label)).size > 1);
  assert.ok(disagreed.length >= 2, `disagreements: ${disagreed.length}`);
  assert.deepEqual(
    candidates.slice(0, disagreed.length).map((c) => c.sampleId),
    disagreed.map((c) => c.sampleId),
    'the images the labellers disagree on come first',
  );
  const byId = new Map<number, ReviewCandidate>(candidates.map((c) => [c.sampleId, c]));

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  await page.getByRole('link', { name: 'Review' }).click();
  assert.match(page.url(), /\/admin\?project=digits&view=review$/, 'a shareable address');
  // Decisions are recorded under the name given here (kept for the next visit).
  const reviewerName = page.getByLabel('Reviewer');
  await reviewerName.fill('rita');
  await reviewerName.blur();

  // First image: the most likely wrong; Enter confirms the label it has.
  const first = await shownCandidate(page);
  assert.equal(first, candidates[0]?.sampleId);
  const firstLabel = byId.get(first)?.label;
  const panel = page.getByRole('complementary', { name: 'Decision' });
  assert.equal(await panel.getByTestId('review-label').innerText(), firstLabel);
  const votes = await panel.getByRole('table', { name: 'Answers' }).innerText();
  assert.match(votes, /ann/);
  assert.match(votes, /bob/);
  await page.keyboard.press('Enter');

  // Second: corrected with a digit's own key (as on the labelling page).
  const second = await shownCandidate(page, first);
  const secondLabel = byId.get(second)?.label;
  const row = await server.db
    .knex('samples')
    .where({ id: second })
    .first<{ source_uri: string } | undefined>('source_uri');
  const truth = row && trueDigitLabelOf(row.source_uri);
  // The digit it shows, unless that is the label already (the labellers may both be right).
  const correction =
    truth !== undefined && truth !== secondLabel ? truth : String((Number(secondLabel) + 5) % 10);
  await page.keyboard.press(correction);
  const third = await shownCandidate(page, second);
  await waitUntil(async () => (await reviewRows()).length === 2, 'two decisions stored');
  assert.deepEqual(await reviewRows(), [
    { sample_id: first, reviewer: 'rita', value: firstLabel },
    { sample_id: second, reviewer: 'rita', value: correction },
  ]);
  assert.match(
    await page.getByTestId('review-last').innerText(),
    new RegExp(`image ${second} corrected to ${correction} \\(was ${String(secondLabel)}\\)`),
  );
  // The corrected image becomes gold: its review is the known answer labellers are checked on.
  await page.getByTestId('review-last').getByRole('button', { name: 'Make gold' }).click();
  await page.getByTestId('made-gold').waitFor();
  const gold = await server.db
    .knex('gold_labels')
    .select<{ sample_id: number; value: string }[]>('sample_id', 'value');
  assert.deepEqual(gold, [{ sample_id: second, value: correction }]);
  let final = await finalLabels();
  assert.deepEqual(
    [final.get(first)?.label, final.get(first)?.confidence],
    [firstLabel, 1],
    'confirmed: the same label, now certain',
  );
  assert.deepEqual([final.get(second)?.label, final.get(second)?.confidence], [correction, 1]);
  assert.equal(final.get(second)?.answers, 2, 'the labellers’ answers are kept and counted');

  // Z brings the correction back; Y decides it again (the shown, corrected label): a third row.
  await page.keyboard.press('z');
  assert.equal(await shownCandidate(page, third), second);
  await page
    .getByRole('status')
    .getByText(/earlier one is kept/)
    .waitFor();
  assert.equal(await panel.getByTestId('review-label').innerText(), correction);
  assert.match(await panel.innerText(), new RegExp(`Before it\\s+${String(secondLabel)}`));
  await screenshot(page, 'admin-review');
  await page.keyboard.press('y');
  assert.equal(await shownCandidate(page, second), third, 'back where the reviewer was');
  await waitUntil(async () => (await reviewRows()).length === 3, 'the third decision stored');
  const history = await fetch(`${server.url}/api/projects/digits/review/${second}/history`, {
    headers: admin,
  });
  assert.deepEqual(
    ((await history.json()) as { label: string }[]).map((h) => h.label),
    [correction, correction],
  );

  // → and N skip without a decision, to the end of the list.
  let shown = third;
  for (let n = 0; n < DIGITS; n++) {
    await page.keyboard.press(n % 2 ? 'n' : 'ArrowRight');
    const next = await Promise.race([
      shownCandidate(page, shown),
      page
        .getByTestId('review-done')
        .waitFor({ timeout: UI_TIMEOUT_MS })
        .then(() => -1),
    ]);
    if (next === -1) break;
    shown = next;
  }
  await page.getByText('No more images to review').waitFor();
  assert.equal((await reviewRows()).length, 3, 'skips leave no row');
  final = await finalLabels();
  assert.equal(final.get(second)?.label, correction);
  await context.close();
});

test('review page, multi-label: opened from its address; option keys toggle, Enter submits the set', async () => {
  const knex = server.db.knex;
  const digits = await getProjectByName({ tx: knex, name: 'digits' });
  if (!digits) throw new Error('no digits project');
  // A multi-label project over three of the same images: ann says round, bob round and loop.
  const shapes = await createProject({
    tx: knex,
    project: {
      name: 'shapes',
      options: ['round', 'straight', 'loop'],
      multiLabel: true,
      labelsPerSample: 2,
      sourceRoots: digits.source_roots,
    },
  });
  const rows = await knex<DbSampleRow>('samples')
    .where({ project_id: digits.id })
    .orderBy('id')
    .limit(3);
  await insertSamples({
    tx: knex,
    projectId: shapes.id,
    samples: rows.map((r) => ({
      sourceUri: r.source_uri,
      contentHash: r.content_hash,
      width: r.width,
      height: r.height,
      byteSize: r.byte_size,
    })),
  });
  for (const [labeller, value] of [
    ['ann', ['round']],
    ['bob', ['round', 'loop']],
  ] as const) {
    for (;;) {
      const sample = await nextSample(knex, { projectId: shapes.id, labeller, ttlSeconds: 60 });
      if (!sample) break;
      await labelSample(knex, {
        projectId: shapes.id,
        sampleId: sample.id,
        labeller,
        value: [...value],
      });
    }
  }
  const list = ReviewListSchema.parse(
    await (
      await fetch(`${server.url}/api/projects/shapes/review?limit=10`, { headers: admin })
    ).json(),
  );

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin?project=shapes&view=review`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  await page.getByRole('heading', { name: 'Review · shapes' }).waitFor();
  const shown = await shownCandidate(page);
  assert.equal(shown, list[0]?.sampleId);
  const label = list[0]?.label;
  const before = new Set(Array.isArray(label) ? label : []);
  // Keys 1 and 2 are round and straight (by position, as on the labelling page): both toggle.
  await page.keyboard.press('1');
  await page.keyboard.press('2');
  const expected = ['round', 'straight', 'loop']
    .filter((o) => (o === 'round' || o === 'straight' ? !before.has(o) : before.has(o)))
    .sort();
  const straight = page.getByRole('button', { name: 'straight', exact: true });
  assert.equal(await straight.getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Enter');
  await waitUntil(
    async () => (await knex('label_reviews').where({ sample_id: shown })).length === 1,
    'the set stored',
  );
  const stored = await knex('label_reviews').where({ sample_id: shown }).pluck<unknown[]>('value');
  assert.deepEqual(stored, [expected]);
  assert.notEqual(await shownCandidate(page, shown), shown);
  await context.close();
});
