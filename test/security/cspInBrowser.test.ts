/// <reference lib="dom" />
/**
 * The built UI under the server's Content-Security-Policy in headless Chromium: the labelling
 * page (with a labeller token, images included) and the admin page run without a single CSP
 * violation, while an injected inline script is blocked (so the check can see violations).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  ADMIN_TOKEN,
  launchChromium,
  shownSampleId,
  startUiServer,
  type UiServer,
} from '../ui/uiHarness';

const TOKEN = 'csp-team-token-42';
let server: UiServer;
let browser: Browser;

before(async () => {
  server = await startUiServer(3, { labellerToken: TOKEN });
  browser = await launchChromium();
});

after(async () => {
  await browser.close();
  await server.close();
});

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) fromConsole.push(msg.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return async () => [
    ...(await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    )),
    ...fromConsole,
  ];
}

test('labelling and admin pages run under the CSP without a violation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const violations = await watchViolations(page);

  const response = await page.goto(server.url);
  assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.getByLabel(/Your name/).fill('csp-carla');
  await page.getByRole('button', { name: 'Start labelling' }).click();
  await page.getByLabel(/Labeller token/).fill(TOKEN);
  await page.getByRole('button', { name: 'Connect' }).click();
  await shownSampleId(page); // the image decoded: it was fetched with the token
  assert.deepEqual(await violations(), [], 'labelling page');

  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open the admin page' }).click();
  await page.getByRole('button', { name: 'Retrain now' }).waitFor();
  await page
    .getByText(/\d+ \/ 3/)
    .first()
    .waitFor(); // stats arrived
  assert.deepEqual(await violations(), [], 'admin page');

  // The control: an inline script is exactly what the policy must stop.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
  });
  await page.waitForFunction(
    () => (window as unknown as { cspViolations: string[] }).cspViolations.length > 0,
  );
  assert.equal(await page.evaluate(() => 'inlineRan' in window), false, 'inline script blocked');
  await context.close();
});
