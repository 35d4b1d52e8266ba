/// <reference lib="dom" />
/**
 * Real-browser harness: the built labeller UI served by createApp over a fresh database holding
 * the MNIST digits demo (real PNGs), and Debian's Chromium driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp, type App } from '@al/server';
import { seedDigitsDemo } from '@al/server';
import { createLogger } from '@al/media';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const UI_DIR = path.join(ROOT, 'labeller-ui', 'dist');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const ADMIN_TOKEN = 'ui-test-admin-token-0123456789';

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f));

/** Newest modification time of the UI's sources: its own, and the contract it bundles. */
function newestSourceMtime(): number {
  const ui = path.join(ROOT, 'labeller-ui');
  const files = [
    path.join(ui, 'index.html'),
    path.join(ui, 'vite.config.ts'),
    ...filesUnder(path.join(ui, 'src')),
    ...filesUnder(path.join(ROOT, 'packages', 'contract', 'src')),
  ];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/**
 * Builds labeller-ui/dist when it is missing or older than the sources (.ci/run builds it
 * before the tests, so there this does nothing).
 */
export function ensureUiBuilt(): void {
  const index = path.join(UI_DIR, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSourceMtime()) return;
  const vite = path.join(ROOT, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', 'labeller-ui'], { cwd: ROOT, stdio: 'pipe' });
  if (result.status !== 0) {
    throw new Error(`vite build failed:\n${result.stdout.toString()}${result.stderr.toString()}`);
  }
}

export interface UiServer {
  db: TestDatabase;
  app: App;
  url: string;
  close: () => Promise<void>;
}

/** A fresh database with `count` MNIST digits, and createApp serving the built UI on port 0. */
export async function startUiServer(
  count: number,
  opts: { labellerToken?: string } = {},
): Promise<UiServer> {
  ensureUiBuilt();
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-ui-data-'));
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  await seedDigitsDemo({ knex: db.knex, dataDir, count, logger });
  const app = await createApp({
    knex: db.knex,
    databaseUrl: db.url,
    logger,
    uiDir: UI_DIR,
    progress: { maxAgeMs: 50, broadcastEveryMs: 100 },
    config: { ADMIN_TOKEN, LABELLER_TOKEN: opts.labellerToken, LEASE_TTL_SECONDS: 60 },
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    db,
    app,
    url,
    close: async () => {
      await app.close();
      await new Promise<void>((resolve) =>
        app.httpServer.close(() => {
          resolve();
        }),
      );
      await db.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { launchChromium } from '../browser';

export const LAPTOP = { width: 1280, height: 800 };
export const TABLET = { width: 768, height: 1024 };

/** A browser context whose labeller name is already remembered (as after the first visit). */
export async function labellerContext(
  browser: Browser,
  name: string,
  viewport = LAPTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  if (process.env.UI_DEBUG) {
    // Diagnostics for a flaky run: the page's console, prefixed with the labeller's name.
    context.on('console', (message) => {
      process.stderr.write(`[${name}] ${message.type()}: ${message.text()}\n`);
    });
  }
  await context.addInitScript((n) => {
    localStorage.setItem('labeller.name', n);
  }, name);
  return context;
}

/** Generous: CI shares two cores, and a wait only lasts as long as the page takes. */
export const UI_TIMEOUT_MS = 30_000;

/**
 * Waits until the page is ready for a key (the stage's data-ready) with a sample's image on
 * screen and decoded, and that sample is not `notId`; returns its id. The stage and the image
 * must name the same sample, so the id is the one a key press would apply to.
 */
export async function shownSampleId(page: Page, notId?: number): Promise<number> {
  const handle = await page.waitForFunction(
    (notId) => {
      const stage = document.querySelector<HTMLElement>('[data-ready="true"][data-sample-id]');
      const img = stage?.querySelector<HTMLImageElement>('img[data-sample-id]');
      if (!stage || !img?.complete || img.naturalWidth === 0) return false;
      if (img.dataset.sampleId !== stage.dataset.sampleId) return false;
      const id = Number(img.dataset.sampleId);
      return id !== notId ? id : false;
    },
    notId ?? -1,
    { timeout: UI_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

/** Waits until sample `id` is on screen and the page is ready for a key. */
export async function waitForSample(page: Page, id: number): Promise<void> {
  await page.waitForFunction(
    (id) => {
      const stage = document.querySelector<HTMLElement>('[data-ready="true"][data-sample-id]');
      const img = stage?.querySelector<HTMLImageElement>('img[data-sample-id]');
      return stage?.dataset.sampleId === String(id) && img?.complete && img.naturalWidth > 0;
    },
    id,
    { timeout: UI_TIMEOUT_MS },
  );
}

/** Presses a key once the page is ready for it and waits for a different sample; returns its id. */
export async function pressForNext(page: Page, key: string): Promise<number> {
  const before = await shownSampleId(page);
  await page.keyboard.press(key);
  return shownSampleId(page, before);
}

/** The text of the connection badge (Online, Reconnecting · 1 queued, …). */
export function waitForConnection(page: Page, pattern: RegExp): Promise<unknown> {
  return page.waitForFunction(
    (source) =>
      new RegExp(source).test(
        document.querySelector('[data-testid="connection"]')?.textContent ?? '',
      ),
    pattern.source,
    { timeout: UI_TIMEOUT_MS },
  );
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** The option a shortcut key picks in the digits project: each digit is its own key. */
export function digitForKey(key: string): string {
  if (!/^[0-9]$/.test(key)) throw new Error(`no option on key ${key}`);
  return key;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, at)] ?? Number.NaN;
}
