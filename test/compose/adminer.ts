/**
 * Adminer driven by headless Chromium: logs in with the PostgreSQL driver and returns the table
 * names Adminer lists. Served either by Debian's Adminer under PHP's built-in server on
 * loopback (showTablesInAdminer) or by the compose stack's `adminer` service (its URL).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from '../browser';
import { freePort } from '@al/db/testing';
import { requireBinary } from './composeFile';
import { startProcess, waitForOutput } from './processes';

const ADMINER_DIR = '/usr/share/adminer';

export interface AdminerLogin {
  /** host:port, what a user types in Adminer's "Server" field (`db` under compose). */
  server: string;
  username: string;
  password: string;
  database: string;
  screenshot: string;
}

/** Logs in at `url` (Adminer's login page) and lists the tables of the default schema. */
export async function listTablesInAdminer(url: string, login: AdminerLogin): Promise<string[]> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.selectOption('select[name="auth[driver]"]', 'pgsql');
    await page.fill('input[name="auth[server]"]', login.server);
    await page.fill('input[name="auth[username]"]', login.username);
    await page.fill('input[name="auth[password]"]', login.password);
    await page.fill('input[name="auth[db]"]', login.database);
    await Promise.all([page.waitForURL(/[?&]db=/), page.click('input[type=submit]')]);
    // Adminer lists the tables of the default schema (public) in its side menu.
    await page.waitForSelector('#tables a', { timeout: 15_000 });
    await mkdir(path.dirname(login.screenshot), { recursive: true });
    await page.screenshot({ path: login.screenshot });
    const names = await page.$$eval('#tables a.structure, #tables a.select', (links) =>
      links.map((a) => a.textContent.trim()),
    );
    return [...new Set(names.filter((n) => n !== '' && n !== 'select'))];
  } finally {
    await browser.close();
  }
}

/** Debian's Adminer served here by `php -S`, then listTablesInAdminer. */
export async function showTablesInAdminer(login: AdminerLogin): Promise<string[]> {
  const php = requireBinary('php', 'php-cli');
  if (!existsSync(path.join(ADMINER_DIR, 'adminer.php'))) {
    throw new Error(`${ADMINER_DIR}/adminer.php missing: apt-get install adminer php-pgsql`);
  }
  const port = await freePort();
  const web = startProcess([php, '-S', `127.0.0.1:${port}`, '-t', ADMINER_DIR], {});
  try {
    await waitForOutput(web, /Development Server .* started/, 15_000);
    return await listTablesInAdminer(`http://127.0.0.1:${port}/adminer.php`, login);
  } finally {
    await web.stop();
  }
}
