/// <reference lib="dom" />
/**
 * A first visit end to end: the page asks for a name, and when the server requires a labeller
 * token (LABELLER_TOKEN) it says so and asks for it; with the token the labeller gets images.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  launchChromium,
  screenshot,
  shownSampleId,
  startUiServer,
  type UiServer,
} from './uiHarness';

let server: UiServer;
let browser: Browser;

before(async () => {
  server = await startUiServer(3, { labellerToken: 'team-token-42' });
  browser = await launchChromium();
});

after(async () => {
  await browser.close();
  await server.close();
});

test('name prompt, then the token the server requires, then images', async () => {
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel(/Your name/).fill('new-nia');
  await screenshot(page, 'name-prompt-768x1024');
  await page.getByRole('button', { name: 'Start labelling' }).click();

  await page
    .getByRole('alert')
    .getByText(/labeller token is required/)
    .waitFor();
  await screenshot(page, 'labeller-token-768x1024');
  await page.getByLabel(/Labeller token/).fill('team-token-42');
  await page.getByRole('button', { name: 'Connect' }).click();
  await shownSampleId(page);
  assert.equal(await page.evaluate(() => localStorage.getItem('labeller.name')), 'new-nia');
  await context.close();
});
