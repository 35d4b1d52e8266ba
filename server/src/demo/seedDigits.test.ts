import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { getProjectByName, type DbSampleRow } from '@al/db';
import { createTestDatabase, type TestDatabase } from '@al/db/testing';
import { createLogger } from '@al/media';
import { DIGIT_LABELS, digitsDemoFolder, trueDigitLabelOf } from '@al/media';
import { seedDigitsDemo } from './seedDigits';

const logger = createLogger('silent');
const COUNT = 30;

let db: TestDatabase;
let dataDir: string;

before(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'seed-digits-'));
});

after(async () => {
  await db.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

async function demoSamples(): Promise<DbSampleRow[]> {
  const project = await getProjectByName({ tx: db.knex, name: 'digits' });
  assert.ok(project, 'digits project exists');
  return db.knex<DbSampleRow>('samples').where({ project_id: project.id }).orderBy('source_uri');
}

test('seeds the digits project with MNIST PNGs whose folder names are their labels', async () => {
  const result = await seedDigitsDemo({ knex: db.knex, dataDir, count: COUNT, logger });
  assert.ok(result.seeded);
  assert.deepEqual(result.summary.failed, []);

  const project = await getProjectByName({ tx: db.knex, name: 'digits' });
  assert.ok(project);
  assert.deepEqual(project.options, [...DIGIT_LABELS]);
  assert.deepEqual(project.source_roots, [digitsDemoFolder(dataDir)]);

  const rows = await demoSamples();
  assert.equal(rows.length, COUNT);
  const perLabel = new Map<string, number>();
  for (const row of rows) {
    assert.equal(row.width, 28);
    assert.equal(row.height, 28);
    assert.ok(row.source_uri.startsWith(digitsDemoFolder(dataDir) + path.sep));
    const meta = await sharp(row.source_uri).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 28, 28, 1]);
    await sharp(row.source_uri, { failOn: 'warning' }).stats(); // decodes fully
    const label = trueDigitLabelOf(row.source_uri);
    assert.ok(label !== undefined, `label for ${row.source_uri}`);
    perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
  }
  assert.deepEqual(
    [...perLabel.entries()].sort(),
    DIGIT_LABELS.map((l) => [l, COUNT / 10]),
  );

  // The file under 7/ really holds MNIST's seventh-class digit, pixel for pixel.
  const mnist = createRequire(import.meta.url)('mnist') as { get: (i: number) => number[] }[];
  const expected = (mnist[7]?.get(0) ?? []).map((v) => Math.round(v * 255));
  const file = path.join(digitsDemoFolder(dataDir), '7', '0000.png');
  const pixels = await sharp(file).extractChannel(0).raw().toBuffer();
  assert.deepEqual([...pixels], expected);
});

test('a second seed does nothing', async () => {
  const again = await seedDigitsDemo({ knex: db.knex, dataDir, count: COUNT, logger });
  assert.deepEqual(again, { seeded: false });
  assert.equal((await demoSamples()).length, COUNT);
});

test('trueDigitLabelOf reads the label only from demo paths', () => {
  assert.equal(trueDigitLabelOf('/x/.data/demo/digits/4/0012.png'), '4');
  assert.equal(trueDigitLabelOf('/x/photos/4/0012.png'), undefined);
  assert.equal(trueDigitLabelOf('/x/demo/digits/cat/0012.png'), undefined);
  assert.equal(trueDigitLabelOf('0012.png'), undefined);
});
