/// <reference lib="dom" />
/**
 * The image viewer in headless Chromium against a real server: a 16-bit TIFF of cells shown
 * stretched (measured from the page's pixels), zoom by wheel, double-click and keys, pan by
 * drag, brightness and contrast changing what is drawn and remembered per labeller, and a
 * sharper copy fetched once a large image is zoomed past its preview.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { importFromDatasource } from '@al/server';
import { createLocalFolderDatasource, createLogger } from '@al/media';
import { CELL_SIDE, cellTiff16, isBackground, isCell } from '@al/media/testing';
import {
  labellerContext,
  launchChromium,
  pressForNext,
  screenshot,
  shownSampleId,
  startUiServer,
  UI_TIMEOUT_MS,
  type UiServer,
} from './uiHarness';

let server: UiServer;
let browser: Browser;
let dataDir: string;
const contexts: BrowserContext[] = [];

/** A project of the images `write` puts in its own folder, imported as the CLI would. */
async function importProject(name: string, write: (folder: string) => Promise<void>) {
  const folder = path.join(dataDir, name);
  await mkdir(folder, { recursive: true });
  await write(folder);
  const summary = await importFromDatasource({
    knex: server.db.knex,
    project: { name, options: ['yes', 'no'], multiLabel: false },
    logger: createLogger('silent'),
    datasource: createLocalFolderDatasource(folder),
  });
  assert.equal(summary.failed.length, 0, JSON.stringify(summary.failed));
}

before(async () => {
  server = await startUiServer(30);
  dataDir = await mkdtemp(path.join(tmpdir(), 'viewer-ui-'));
  await importProject('cells', async (folder) => {
    await writeFile(path.join(folder, 'field-lzw.tif'), await cellTiff16('lzw'));
    await writeFile(path.join(folder, 'field-deflate.tif'), await cellTiff16('deflate'));
  });
  await importProject('big', async (folder) => {
    // Smooth gradients and a grid: a photo-sized image with detail at every scale.
    const side = 2400;
    const pixels = Buffer.alloc(side * side * 3);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const i = (y * side + x) * 3;
        const grid = x % 64 < 2 || y % 64 < 2 ? 255 : 0;
        pixels[i] = Math.max(grid, (x * 255) / side);
        pixels[i + 1] = Math.max(grid, (y * 255) / side);
        pixels[i + 2] = 128;
      }
    }
    const png = await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer();
    await writeFile(path.join(folder, 'photo.png'), png);
  });
  browser = await launchChromium();
});

after(async () => {
  for (const context of contexts) await context.close();
  await browser.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function openProject(name: string, project: string): Promise<Page> {
  const context = await labellerContext(browser, name);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/?project=${project}`);
  await shownSampleId(page);
  return page;
}

const zoomOf = async (page: Page) =>
  Number(await page.locator('.zoom-box').getAttribute('data-zoom'));

/** The image's translate(x, y) on screen, from its inline transform. */
async function offsetOf(page: Page): Promise<{ x: number; y: number }> {
  const transform = (await page.locator('img[data-sample-id]').getAttribute('style')) ?? '';
  const m = /translate\((-?[\d.e-]+)px, (-?[\d.e-]+)px\)/.exec(transform);
  assert.ok(m, transform);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** Polls `read` until its value passes `test`; returns that value. */
async function pollUntil<T>(
  page: Page,
  read: () => Promise<T>,
  test: (v: T) => boolean,
  what: string,
) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`${JSON.stringify(value)}: expected ${what}`);
    await page.waitForTimeout(20);
  }
}

const waitForZoom = (page: Page, test: (zoom: number) => boolean, what: string) =>
  pollUntil(page, () => zoomOf(page), test, what);

/** Waits until the image's CSS filter satisfies `test`. */
const waitForFilter = (page: Page, test: (filter: string) => boolean) =>
  pollUntil(
    page,
    () => page.locator('img[data-sample-id]').evaluate((el: HTMLImageElement) => el.style.filter),
    test,
    'another CSS filter',
  );

/** The viewer box as drawn: its RGB pixels and size. */
async function drawnPixels(page: Page) {
  const png = await page.locator('.zoom-box').screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean and standard deviation of the grey level over the drawn picture (not the letterbox). */
function greyStats(shot: Awaited<ReturnType<typeof drawnPixels>>) {
  const side = Math.min(shot.width, shot.height);
  const x0 = Math.floor((shot.width - side) / 2);
  const y0 = Math.floor((shot.height - side) / 2);
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = y0 + 2; y < y0 + side - 2; y += 2) {
    for (let x = x0 + 2; x < x0 + side - 2; x += 2) {
      const i = (y * shot.width + x) * 3;
      const g = ((shot.data[i] ?? 0) + (shot.data[i + 1] ?? 0) + (shot.data[i + 2] ?? 0)) / 3;
      sum += g;
      sq += g * g;
      n++;
    }
  }
  const mean = sum / n;
  return { mean, sd: Math.sqrt(sq / n - mean * mean) };
}

test('a 16-bit TIFF of cells is drawn stretched: bright cells on a dark background', async () => {
  const page = await openProject('viewer-cells', 'cells');
  const shot = await drawnPixels(page);
  await screenshot(page, 'viewer-cells-16bit');
  // object-fit: contain draws the square picture centred in the box, each image pixel a block.
  const side = Math.min(shot.width, shot.height);
  const x0 = (shot.width - side) / 2;
  const y0 = (shot.height - side) / 2;
  const k = side / CELL_SIDE;
  const mean = (where: (x: number, y: number) => boolean) => {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < CELL_SIDE; y++) {
      for (let x = 0; x < CELL_SIDE; x++) {
        if (!where(x, y)) continue;
        const px = Math.floor(x0 + (x + 0.5) * k);
        const py = Math.floor(y0 + (y + 0.5) * k);
        sum += shot.data[(py * shot.width + px) * 3] ?? 0;
        n++;
      }
    }
    return sum / n;
  };
  const cells = mean(isCell);
  const background = mean(isBackground);
  // Cast to 8 bits without a stretch, cells at 4,000 of 65,535 would be drawn at ~16.
  assert.ok(cells > 100 && cells < 256, `cells drawn at ${cells.toFixed(1)}`);
  assert.ok(background < 40, `background drawn at ${background.toFixed(1)}`);
});

test('zoom by wheel, keys and double-click; drag pans; Esc resets; a new sample starts unzoomed', async () => {
  const page = await openProject('viewer-zoom', 'digits');
  assert.equal(await zoomOf(page), 1);
  const box = await page.locator('.zoom-box').boundingBox();
  assert.ok(box);
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, -300);
  const wheeled = await waitForZoom(page, (z) => z > 1.3, 'zoomed in by the wheel');

  const before = await offsetOf(page);
  await page.mouse.down();
  await page.mouse.move(centre.x + 40, centre.y + 30, { steps: 4 });
  await page.mouse.up();
  const panned = await offsetOf(page);
  assert.ok(Math.abs(panned.x - before.x - 40) < 1, `panned x by ${panned.x - before.x}`);
  assert.ok(Math.abs(panned.y - before.y - 30) < 1, `panned y by ${panned.y - before.y}`);

  await page.keyboard.press('+');
  await waitForZoom(page, (z) => Math.abs(z - wheeled * 1.5) < 0.01, 'one + step further');
  await page.keyboard.press('-');
  await waitForZoom(page, (z) => Math.abs(z - wheeled) < 0.01, 'back by one − step');
  await page.keyboard.press('Escape');
  await waitForZoom(page, (z) => z === 1, 'reset by Esc');
  assert.deepEqual(await offsetOf(page), { x: 0, y: 0 });

  await page.mouse.dblclick(centre.x, centre.y);
  await waitForZoom(page, (z) => Math.abs(z - 1.5) < 0.01, 'one step in by double-click');
  // The labelling keys still label: 3 labels this digit, the next one shows unzoomed.
  const labelled = await shownSampleId(page);
  await pressForNext(page, '3');
  assert.equal(await zoomOf(page), 1);
  // The next image shows before the server's acknowledgement, so the row may land a moment later.
  const row = await pollUntil(
    page,
    () =>
      server.db
        .knex('labels')
        .where({ labeller: 'viewer-zoom', sample_id: labelled, kind: 'label' })
        .first<{ value: string } | undefined>('value'),
    (r) => r !== undefined,
    'the label in Postgres',
  );
  assert.equal(row?.value, '3');
});

test('contrast and brightness change the drawn pixels and are remembered for the labeller', async () => {
  const page = await openProject('viewer-adjust', 'digits');
  const plain = greyStats(await drawnPixels(page));
  // Digits are near black and white, which more contrast leaves as they are: ask for less.
  for (let i = 0; i < 5; i++) await page.keyboard.press('{');
  await waitForFilter(page, (f) => f.includes('contrast(0.5)'));
  const contrasted = greyStats(await drawnPixels(page));
  assert.ok(
    contrasted.sd < plain.sd * 0.7,
    `sd ${plain.sd.toFixed(1)} → ${contrasted.sd.toFixed(1)}`,
  );
  for (let i = 0; i < 5; i++) await page.keyboard.press('[');
  await waitForFilter(page, (f) => f.includes('brightness(0.5)'));
  const darker = greyStats(await drawnPixels(page));
  assert.ok(
    darker.mean < contrasted.mean * 0.8,
    `mean ${contrasted.mean.toFixed(1)} → ${darker.mean.toFixed(1)}`,
  );
  await screenshot(page, 'viewer-adjusted');

  await page.reload();
  await shownSampleId(page);
  assert.equal(await page.getByLabel('Contrast').inputValue(), '0.5');
  assert.equal(await page.getByLabel('Brightness').inputValue(), '0.5');
  await page.keyboard.press('\\');
  await waitForFilter(page, (f) => f === '');
  assert.equal(await page.getByLabel('Contrast').inputValue(), '1');
});

test('a large image zoomed past its preview is fetched again at the size the screen shows', async () => {
  const page = await openProject('viewer-big', 'big');
  const img = page.locator('img[data-sample-id]');
  const preview = Number(await img.getAttribute('data-size'));
  for (let i = 0; i < 4; i++) await page.keyboard.press('+');
  await page.waitForFunction(
    (preview) => {
      const el = document.querySelector<HTMLImageElement>('img[data-sample-id]');
      return el && Number(el.dataset.size) > preview && el.complete && el.naturalWidth > preview;
    },
    preview,
    { timeout: UI_TIMEOUT_MS },
  );
  const sharper = await img.evaluate((el: HTMLImageElement) => ({
    size: Number(el.dataset.size),
    natural: el.naturalWidth,
    src: el.src,
  }));
  assert.match(sharper.src, new RegExp(`size=${sharper.size}`));
  assert.ok(sharper.natural <= 2400 && sharper.natural > preview, JSON.stringify(sharper));
  await screenshot(page, 'viewer-zoomed-large');
});
