import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
import path from 'node:path';
import sharp from 'sharp';
import { insertSamples, notifyModelCreated } from '@al/db';
import { createTestDatabase } from '@al/db/testing';
import {
  HealthSchema,
  HttpErrorBodySchema,
  LabelLogRowSchema,
  ModelListSchema,
  ProjectListSchema,
  ProjectStatsSchema,
  ImageSettingsAnswerSchema,
  RetrainAcceptedSchema,
} from '@al/contract';
import {
  CELL_SIDE,
  cellStackTiff16,
  isBackground,
  isCell,
  isMirroredCell,
  meanOver,
} from '@al/media/testing';
import {
  connectClient,
  createFixtureProject,
  pngBytes,
  emitWithAck,
  startApp,
  waitForEvent,
} from './helpers';

test('HTTP API: health, projects, stats, models, retrain, labels export, in the contract’s shapes', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'zoo', samples: 6 });
  const server = await startApp(db);
  const get = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init);
  try {
    // Every answer is parsed with the contract's schema for its route: what the UI parses with.
    const json = async (p: string) => (await get(p)).json() as Promise<unknown>;
    assert.deepEqual(HealthSchema.parse(await json('/healthz')), { status: 'ok' });
    const projects = ProjectListSchema.parse(await json('/api/projects'));
    assert.deepEqual(
      projects.map((p) => p.name),
      ['zoo'],
    );

    // Two labellers, one with a name a spreadsheet would mangle.
    const names = ['ann', '=cmd,"x"\nnext'];
    for (const [i, name] of names.entries()) {
      const client = await connectClient(server.url, { name });
      for (let k = 0; k < 2; k++) {
        const next = await emitWithAck(client, 'sample:next', {});
        assert.ok('data' in next && next.data.sample);
        const ack = await emitWithAck(client, 'sample:label', {
          sampleId: next.data.sample.id,
          value: i === 0 ? 'cat' : 'dog',
        });
        assert.ok('data' in ack);
      }
      client.close();
    }

    const stats = ProjectStatsSchema.parse(await json('/api/projects/zoo/stats'));
    assert.equal(stats.total, 6);
    assert.equal(stats.labelled, 4);
    assert.deepEqual(stats.labellers.map((l) => l.labels).sort(), [2, 2]);
    // Time from hand-out to label, as the server stamped it: measured, and under this test's run.
    for (const l of stats.labellers) {
      assert.ok(
        l.medianMs !== null && l.medianMs >= 0 && l.medianMs < 60_000,
        `${l.name}: ${String(l.medianMs)}`,
      );
    }
    assert.equal(
      stats.labelsPerHour.reduce((n, h) => n + h.labels, 0),
      4,
    );
    const missing = await get('/api/projects/nope/stats');
    assert.equal(missing.status, 404);
    assert.equal(HttpErrorBodySchema.parse(await missing.json()).error.code, 'NOT_FOUND');

    // A new model row + NOTIFY reaches connected labellers as model:updated.
    const watcher = await connectClient(server.url, { name: 'watcher' });
    await db.knex('models').insert({
      project_id: fixture.project.id,
      version: 1,
      trained_on: 4,
      metrics: JSON.stringify({ accuracy: 0.75 }),
      backend: 'wasm',
    });
    const update = waitForEvent(watcher, 'model:updated');
    await notifyModelCreated({ tx: db.knex, projectId: fixture.project.id, version: 1 });
    assert.deepEqual(await update, { version: 1, metrics: { accuracy: 0.75 } });
    watcher.close();
    const models = ModelListSchema.parse(await json('/api/projects/zoo/models'));
    assert.equal(models.length, 1);
    assert.deepEqual(models[0]?.metrics, { accuracy: 0.75 });
    // A model never evaluated still answers `accuracy` (null); keys the contract does not name
    // pass through.
    await db.knex('models').insert({
      project_id: fixture.project.id,
      version: 2,
      trained_on: 4,
      metrics: JSON.stringify({ evaluatedOn: 0, calibration: 'none' }),
      backend: 'wasm',
    });
    const [newest] = ModelListSchema.parse(await json('/api/projects/zoo/models'));
    assert.deepEqual(newest?.metrics, { accuracy: null, evaluatedOn: 0, calibration: 'none' });

    // Retrain: refused without or with a wrong token, accepted with the right one.
    const retrain = (auth?: string) =>
      get('/api/projects/zoo/retrain', {
        method: 'POST',
        headers: auth === undefined ? {} : { authorization: auth },
      });
    assert.equal((await retrain()).status, 401);
    assert.equal((await retrain('Bearer wrong-token')).status, 401);
    assert.equal((await retrain(server.app.adminToken)).status, 401, 'scheme is required');
    const accepted = await retrain(`Bearer ${server.app.adminToken}`);
    assert.equal(accepted.status, 202);
    const { jobId } = RetrainAcceptedSchema.parse(await accepted.json());
    const job = await db
      .knex('retrain_jobs')
      .where({ id: jobId })
      .first<{ reason: string; status: string } | undefined>('reason', 'status');
    assert.deepEqual(job, { reason: 'admin', status: 'queued' });

    // Exports: one row per label row, the awkward name intact in both formats.
    const csv = await (await get('/api/projects/zoo/labels?format=csv')).text();
    const jsonl = await (await get('/api/projects/zoo/labels?format=jsonl')).text();
    const records = jsonl
      .trim()
      .split('\n')
      .map((l) => LabelLogRowSchema.parse(JSON.parse(l)));
    assert.equal(records.length, 4);
    assert.equal(records.filter((r) => r.labeller === names[1]).length, 2);
    assert.ok(csv.startsWith('id,sample_id,source_uri,labeller,kind,value'));
    assert.equal(csv.split('\n').filter((l) => l.includes(',label,')).length, 4);
    assert.ok(csv.includes(`"'=cmd,""x""\nnext"`), 'CSV quoted, quotes doubled, formula defused');
    assert.equal((await get('/api/projects/zoo/labels?format=xml')).status, 400);
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('image route: content type, ETag and 304, bounded size, BMP, nothing outside the roots', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'pics', samples: 1 });
  const server = await startApp(db);
  try {
    const big = path.join(fixture.dir, 'big.png');
    await writeFile(big, await pngBytes(9, 1600, 1200));
    const outside = path.join(fixture.dir, '..', `outside-${path.basename(fixture.dir)}.png`);
    await writeFile(outside, await pngBytes(10));
    const bmp = path.join(fixture.dir, 'tiny.bmp');
    await writeFile(bmp, bmpRedPixel());
    const extra = [
      { uri: big, hash: 'b'.repeat(64) },
      { uri: outside, hash: 'c'.repeat(64) },
      { uri: path.join(fixture.dir, '..', '..', 'etc', 'passwd'), hash: 'd'.repeat(64) },
      { uri: bmp, hash: 'e'.repeat(64) },
    ];
    await insertSamples({
      tx: db.knex,
      projectId: fixture.project.id,
      samples: extra.map((e) => ({
        sourceUri: e.uri,
        contentHash: e.hash,
        width: 1,
        height: 1,
        byteSize: 1,
      })),
    });
    const ids = new Map(
      (await db.knex('samples').select('id', 'source_uri')).map(
        (r: { id: number; source_uri: string }) => [r.source_uri, r.id],
      ),
    );
    const url = (uri: string, q = '') => `${server.url}/api/samples/${ids.get(uri)}/image${q}`;

    const first = await fetch(url(big, '?size=5000'));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'image/png');
    const etag = first.headers.get('etag');
    assert.ok(etag?.includes('4096'), 'clamped to the largest size');
    assert.match(first.headers.get('cache-control') ?? '', /max-age/);
    const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height], [1600, 1200], 'the original, never enlarged');
    const zoomed = await fetch(url(big, '?size=1024'));
    const zoomedMeta = await sharp(Buffer.from(await zoomed.arrayBuffer())).metadata();
    assert.deepEqual([zoomedMeta.width, zoomedMeta.height], [1024, 768]);

    const small = await fetch(url(big, '?size=64'));
    const smallMeta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    assert.deepEqual([smallMeta.width, smallMeta.height], [64, 48]);
    assert.notEqual(small.headers.get('etag'), etag);

    const again = await fetch(url(big, '?size=5000'), { headers: { 'if-none-match': etag ?? '' } });
    assert.equal(again.status, 304);

    assert.equal((await fetch(url(big, '?size=abc'))).status, 400);
    assert.equal((await fetch(`${server.url}/api/samples/999999/image`)).status, 404);
    assert.equal((await fetch(url(outside))).status, 404, 'outside the root');
    assert.equal((await fetch(url(extra[2]?.uri ?? ''))).status, 404, 'traversal');

    const fromBmp = await fetch(url(bmp));
    assert.equal(fromBmp.status, 200);
    const { data } = await sharp(Buffer.from(await fromBmp.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([...data.subarray(0, 3)], [255, 0, 0], 'BMP decoded with the right colours');
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

test('image route shows the page of a TIFF stack that the project’s image settings name', async () => {
  const db = await createTestDatabase();
  const fixture = await createFixtureProject(db.knex, { name: 'stacks', samples: 0 });
  const server = await startApp(db);
  try {
    const stack = await cellStackTiff16();
    const file = path.join(fixture.dir, 'stack.tif');
    await writeFile(file, stack);
    await insertSamples({
      tx: db.knex,
      projectId: fixture.project.id,
      samples: [
        { sourceUri: file, contentHash: 'f'.repeat(64), width: 64, height: 64, byteSize: 1 },
      ],
    });
    const { id } = (await db.knex<{ id: number }>('samples').first('id')) ?? { id: 0 };
    const image = async (etag = '') => {
      const res = await fetch(`${server.url}/api/samples/${id}/image?size=${CELL_SIDE}`, {
        headers: { 'if-none-match': etag },
      });
      const body = Buffer.from(await res.arrayBuffer());
      const pixels =
        res.status === 200 ? await sharp(body).extractChannel(0).raw().toBuffer() : body;
      // Mean shown value inside page 0's cells and inside page 1's (each well outside the other's).
      const first = meanOver(
        pixels,
        1,
        0,
        (x, y) => isCell(x, y) && isBackground(CELL_SIDE - 1 - x, y),
      );
      const second = meanOver(pixels, 1, 0, (x, y) => isMirroredCell(x, y) && isBackground(x, y));
      return { status: res.status, etag: res.headers.get('etag') ?? '', first, second };
    };
    const settings = `${server.url}/api/projects/stacks/settings/images`;
    const put = (body: unknown) =>
      fetch(settings, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${server.app.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });

    // Thumbnails on: page 0 is then stored as a thumbnail next to the stack.
    assert.equal((await put({ thumbnailSuffix: '_thumb' })).status, 200);
    const page0 = await image();
    assert.ok(page0.first > 100 && page0.second < 30, `page 0: ${page0.first} / ${page0.second}`);
    const thumbnailWritten = async () =>
      (await readdir(fixture.dir)).some((f) => f.startsWith('stack_thumb'));
    for (let i = 0; i < 100 && !(await thumbnailWritten()); i++) await setTimeout(50);
    assert.ok(await thumbnailWritten(), 'the first page’s thumbnail was stored');
    const shownSettings = await fetch(settings, {
      headers: { authorization: `Bearer ${server.app.adminToken}` },
    });
    assert.equal(ImageSettingsAnswerSchema.parse(await shownSettings.json()).images.page, 0);

    for (const bad of [-1, 1.5, 'first', 10_000]) {
      const refused = await put({ page: bad });
      assert.equal(refused.status, 400, `page ${JSON.stringify(bad)}`);
    }
    const changed = await put({ page: 1 });
    assert.equal(changed.status, 200);
    assert.equal(ImageSettingsAnswerSchema.parse(await changed.json()).images.page, 1);
    // Served from the stack itself: the stored thumbnail shows page 0.
    const page1 = await image(page0.etag);
    assert.equal(page1.status, 200, 'the old ETag no longer matches');
    assert.notEqual(page1.etag, page0.etag);
    assert.ok(page1.second > 100 && page1.first < 30, `page 1: ${page1.first} / ${page1.second}`);
    assert.equal((await image(page1.etag)).status, 304);

    assert.equal((await put({ page: 'max' })).status, 200);
    const max = await image();
    assert.ok(max.first > 100 && max.second > 100, `max: ${max.first} / ${max.second}`);
    const row = await db
      .knex<{ name: string; image_page: string }>('projects')
      .where({ name: 'stacks' })
      .first('image_page');
    assert.equal(row?.image_page, 'max');
  } finally {
    await server.close();
    await fixture.cleanup();
    await db.destroy();
  }
});

/** A hand-made 1×1 24-bit BMP holding one pure red pixel (stored B, G, R). */
function bmpRedPixel(): Buffer {
  const b = Buffer.alloc(58);
  b.write('BM');
  b.writeUInt32LE(58, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(1, 18);
  b.writeInt32LE(1, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(4, 34);
  b[56] = 255;
  return b;
}
