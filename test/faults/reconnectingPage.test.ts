/// <reference lib="dom" />
/**
 * The labelling page in headless Chromium while Postgres is down: a label made then shows as
 * "Reconnecting · 1 queued" (UNAVAILABLE answers keep it in the outbox, no error), and once
 * Postgres is back the page says Online again and the label is stored exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createDb } from '@al/db';
import { createApp } from '@al/server';
import { seedDigitsDemo } from '@al/server';
import { createLogger } from '@al/media';
import {
  ADMIN_TOKEN,
  ensureUiBuilt,
  labellerContext,
  launchChromium,
  screenshot,
  shownSampleId,
  UI_DIR,
  waitForConnection,
} from '../ui/uiHarness';
import { printFigure } from './ackedVsStored';
import { startRestartablePostgres } from './restartablePostgres';

test('the page shows "reconnecting" while Postgres is down and the queued label lands after', async (t) => {
  ensureUiBuilt();
  const pg = await startRestartablePostgres({ samples: 0 });
  t.after(() => pg.destroy());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'labeller-faults-ui-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  await seedDigitsDemo({ knex: pg.knex, dataDir, count: 20, logger });
  const knex = createDb({ connectionString: pg.url, poolMax: 5 });
  t.after(() => knex.destroy());
  const app = await createApp({
    knex,
    databaseUrl: pg.url,
    logger,
    uiDir: UI_DIR,
    config: { ADMIN_TOKEN, LABELLER_TOKEN: undefined, LEASE_TTL_SECONDS: 60 },
  });
  t.after(() => app.close());
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await (await labellerContext(browser, 'ui-faults')).newPage();
  await page.goto(`http://127.0.0.1:${port}`);
  const labelled = await shownSampleId(page);
  await waitForConnection(page, /^Online$/);

  await pg.stop();
  await page.keyboard.press('3');
  await waitForConnection(page, /^Reconnecting · 1 queued$/);
  await screenshot(page, 'faults-reconnecting-postgres-down');
  const stored = () => pg.knex('labels').where({ labeller: 'ui-faults', sample_id: labelled });

  await pg.start();
  const backAt = Date.now();
  await waitForConnection(page, /^Online$/);
  const onlineAfterMs = Date.now() - backAt;
  const rows = await stored();
  assert.equal(rows.length, 1, 'the queued label stored once');
  assert.deepEqual(
    rows.map((r: { kind: string; value: unknown }) => [r.kind, r.value]),
    [['label', '3']],
  );
  // UNAVAILABLE is a state, not an error: the live region never reported a refusal.
  const liveStatus = await page.getByTestId('live-status').textContent();
  assert.doesNotMatch(liveStatus ?? '', /refused|unavailable|failed/i);
  printFigure(t, 'ui-postgres-restart', { queuedLabelStored: rows.length, onlineAfterMs });
});
