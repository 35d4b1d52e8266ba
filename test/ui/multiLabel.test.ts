/// <reference lib="dom" />
/**
 * With several projects the page lists them; in a multi-label project keys toggle options and
 * Enter submits; the model's suggestion is shown with its confidence and never preselected.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createFixtureProject, type Fixture } from '../server/helpers';
import {
  labellerContext,
  launchChromium,
  screenshot,
  shownSampleId,
  startUiServer,
  UI_TIMEOUT_MS,
  type UiServer,
} from './uiHarness';
import { waitUntil } from './waitUntil';

let server: UiServer;
let browser: Browser;
let tags: Fixture;

before(async () => {
  server = await startUiServer(5);
  tags = await createFixtureProject(server.db.knex, {
    name: 'tags',
    samples: 4,
    options: ['cat', 'dog', 'bird'],
    multiLabel: true,
  });
  // The first sample in hand-out order carries a model prediction.
  await server.db
    .knex('samples')
    .where({ project_id: tags.project.id })
    .orderBy('priority', 'desc')
    .limit(1)
    .update({ predicted_label: JSON.stringify(['dog']), predicted_confidence: 0.82 });
  browser = await launchChromium();
});

after(async () => {
  await browser.close();
  await server.close();
  await tags.cleanup();
});

test('pick a project, toggle labels with keys, submit with Enter; the suggestion is not preselected', async () => {
  const context = await labellerContext(browser, 'multi-mo');
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: /tags/ }).click();
  const first = await shownSampleId(page);

  await page.getByTestId('suggestion').getByText('Model suggests dog (82% sure)').waitFor();
  // The options shown pressed, once the page shows exactly `expected` (keys render async).
  const pressed = (expected: string[]) =>
    page.waitForFunction(
      (want) =>
        JSON.stringify(
          Array.from(
            document.querySelectorAll('.option[aria-pressed="true"]'),
            (e) => e.textContent,
          ),
        ) === JSON.stringify(want),
      expected,
      { timeout: UI_TIMEOUT_MS },
    );
  await pressed([]); // nothing preselected

  await page.keyboard.press('1'); // cat
  await page.keyboard.press('3'); // bird
  await page.keyboard.press('1'); // cat off
  await page.keyboard.press('1'); // cat on again
  await pressed(['1cat', '3bird']);
  await screenshot(page, 'labelling-multi-label');
  await page.keyboard.press('Enter');
  const second = await shownSampleId(page, first);
  await pressed([]); // a new sample starts with nothing chosen
  await page.keyboard.press('2');
  await page.keyboard.press('Enter');
  // The last two samples: skip one, label the other; then the queue is empty for this labeller.
  const third = await shownSampleId(page, second);
  await page.keyboard.press('s');
  const last = await shownSampleId(page, third);
  await page.keyboard.press('3');
  await page.keyboard.press('Enter');
  await page.getByTestId('nothing-left').waitFor();
  await page.getByRole('status').getByText('Nothing left to label').waitFor();
  assert.ok(![first, second, third].includes(last));

  await waitUntil(async () => {
    const n = await server.db
      .knex('labels')
      .where({ labeller: 'multi-mo' })
      .count<{ count: string }[]>('* as count');
    return Number(n[0]?.count) === 4;
  }, 'three labels and a skip recorded');
  const rows = await server.db
    .knex('labels')
    .where({ labeller: 'multi-mo' })
    .orderBy('id')
    .select<{ sample_id: number; kind: string; value: string[] | null }[]>(
      'sample_id',
      'kind',
      'value',
    );
  assert.deepEqual(rows.slice(0, 2), [
    { sample_id: first, kind: 'label', value: ['bird', 'cat'] },
    { sample_id: second, kind: 'label', value: ['dog'] },
  ]);
  assert.deepEqual(
    rows.slice(2).map((r) => r.kind),
    ['skip', 'label'],
  );
  assert.deepEqual(rows[3], { sample_id: last, kind: 'label', value: ['bird'] });
  await context.close();
});
