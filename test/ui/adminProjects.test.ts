/// <reference lib="dom" />
/**
 * A project made on the admin page in headless Chromium and labelled end to end: the form
 * creates it from a folder of PNGs the test writes, the import's progress shows live until it is
 * done, a labeller labels every image by keyboard on the labelling page, a re-scan picks up only
 * the images added since, and archiving takes the project off the lists.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { ProjectListSchema } from '@al/contract';
import {
  ADMIN_TOKEN,
  labellerContext,
  launchChromium,
  pressForNext,
  screenshot,
  shownSampleId,
  startUiServer,
  UI_TIMEOUT_MS,
  type UiServer,
} from './uiHarness';
import { waitUntil } from './waitUntil';

let server: UiServer;
let browser: Browser;
let folder: string;

const COLOURS = { red: { r: 220, g: 30, b: 30 }, blue: { r: 30, g: 40, b: 220 } } as const;
type Colour = keyof typeof COLOURS;

/** A 48×48 PNG of one colour, made distinct by `seed` (so every file has its own hash). */
async function writeSwatch(name: string, colour: Colour, seed: number) {
  const { r, g, b } = COLOURS[colour];
  const png = await sharp({
    create: { width: 48, height: 48, channels: 3, background: { r, g: g + seed, b } },
  })
    .png()
    .toBuffer();
  await writeFile(path.join(folder, name), png);
}

before(async () => {
  server = await startUiServer(4);
  browser = await launchChromium();
  folder = await mkdtemp(path.join(tmpdir(), 'admin-new-project-'));
  for (let i = 0; i < 6; i++)
    await writeSwatch(`swatch-${String(i)}.png`, i % 2 ? 'blue' : 'red', i);
});

after(async () => {
  await browser.close();
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

async function openAdmin(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  await page.getByRole('button', { name: 'New project' }).waitFor({ timeout: UI_TIMEOUT_MS });
  return page;
}

async function projectNames(archived = false): Promise<string[]> {
  const res = await fetch(`${server.url}/api/projects${archived ? '?archived=true' : ''}`);
  return ProjectListSchema.parse(await res.json()).map((p) => p.name);
}

/** The colour a sample was drawn in, from its file's pixel (what a careful labeller sees). */
async function colourOf(sampleId: number): Promise<Colour> {
  const row = await server.db
    .knex<{ id: number; source_uri: string }>('samples')
    .where({ id: sampleId })
    .first('source_uri');
  const { data } = await sharp(row?.source_uri ?? '')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return (data[0] ?? 0) > (data[2] ?? 0) ? 'red' : 'blue';
}

test('create a project from a folder on the admin page, label it, re-scan, archive', async () => {
  const admin = await openAdmin();
  await admin.getByRole('button', { name: 'New project' }).click();
  const form = admin.locator('form.new-project');
  await form.getByLabel('Name').fill('swatches');
  await form.getByLabel(/^Labels/).fill('red, blue');
  await form.getByLabel(/^Images/).fill('relative/path');
  await admin.getByRole('button', { name: 'Create and import' }).click();
  await admin.getByText(/absolute folder path/).waitFor({ timeout: UI_TIMEOUT_MS });

  await form.getByLabel(/^Images/).fill(folder);
  await admin.getByRole('button', { name: 'Create and import' }).click();
  const progress = admin.getByTestId('import-progress');
  await progress.and(admin.locator('[data-status="done"]')).waitFor({ timeout: UI_TIMEOUT_MS });
  assert.match(await progress.innerText(), /Import done: 6 new, 0 already there, 0 unreadable/);
  await screenshot(admin, 'admin-new-project-imported');
  await admin.getByRole('button', { name: 'Open swatches' }).click();
  await admin
    .locator('[data-testid="queue-stats"]')
    .getByText('0 / 6')
    .waitFor({ timeout: UI_TIMEOUT_MS });
  assert.deepEqual(await projectNames(), ['digits', 'swatches']);

  // A labeller labels every image of the new project by keyboard: 1 red, 2 blue.
  const context = await labellerContext(browser, 'kim');
  const page = await context.newPage();
  await page.goto(`${server.url}/?project=swatches`);
  const given = new Map<number, Colour>();
  let id = await shownSampleId(page);
  for (let n = 0; n < 6; n++) {
    const colour = await colourOf(id);
    given.set(id, colour);
    if (n < 5) id = await pressForNext(page, colour === 'red' ? '1' : '2');
    else await page.keyboard.press(colour === 'red' ? '1' : '2');
  }
  await page
    .getByText(/no more images|all done|nothing left/i)
    .first()
    .waitFor({ timeout: UI_TIMEOUT_MS });
  await context.close();
  const readStored = (): Promise<{ sample_id: number; value: string }[]> =>
    server.db
      .knex('labels')
      .join('projects', 'projects.id', 'labels.project_id')
      .where({ 'projects.name': 'swatches', kind: 'label' })
      .select('sample_id', 'value');
  await waitUntil(async () => (await readStored()).length >= 6, 'six labels are stored');
  const stored = await readStored();
  assert.equal(stored.length, 6);
  for (const row of stored)
    assert.equal(row.value, given.get(row.sample_id), `sample ${String(row.sample_id)}`);

  // Two new images: a re-scan reads those only.
  await writeSwatch('later-1.png', 'red', 20);
  await writeSwatch('later-2.png', 'blue', 21);
  await admin.getByRole('button', { name: 'Re-scan for new images' }).click();
  const rescan = admin.locator('[data-testid="import-progress"][data-status="done"]').last();
  await rescan.waitFor({ timeout: UI_TIMEOUT_MS });
  assert.match(await rescan.innerText(), /2 new, 6 already there/);
  await admin
    .locator('[data-testid="queue-stats"]')
    .getByText('6 / 8')
    .waitFor({ timeout: UI_TIMEOUT_MS });
  await screenshot(admin, 'admin-project-rescanned', true);

  admin.once('dialog', (dialog) => void dialog.accept());
  await admin.getByRole('button', { name: 'Archive project' }).click();
  await admin.waitForFunction(() => !document.body.innerText.includes('swatches'), undefined, {
    timeout: UI_TIMEOUT_MS,
  });
  assert.deepEqual(await projectNames(), ['digits']);
  assert.deepEqual(await projectNames(true), ['swatches']);
  await admin.context().close();
});
