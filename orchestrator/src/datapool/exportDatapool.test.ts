import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import {
  createDigitsFixture,
  labelFromQueue,
  registerFolderImages,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { retrainProject } from '../training/retrainProject';
import { exportDatapool } from './exportDatapool';

let f: DigitsFixture;
let extraDir: string;
before(async () => {
  f = await createDigitsFixture(40);
  extraDir = await mkdtemp(path.join(tmpdir(), 'datapool-extra-'));
});
after(async () => {
  await f.destroy();
  await rm(extraDir, { recursive: true, force: true });
});

/** Minimal RFC 4180 reader for the test: quoted fields with doubled quotes, no line breaks. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const j = line.indexOf('"', i);
        assert.ok(j >= 0, `unterminated quote in ${line}`);
        value += line.slice(i, j);
        if (line[j + 1] === '"') {
          value += '"';
          i = j + 2;
        } else {
          i = j + 1;
          break;
        }
      }
      fields.push(value);
      i++; // the comma
    } else {
      const j = line.indexOf(',', i);
      const end = j < 0 ? line.length : j;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

async function runExport() {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const result = await exportDatapool({
    knex: f.db.knex,
    projectId: f.project.id,
    backend: f.backend,
    logger: silentLogger,
    out,
  });
  const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
  const [header = [], ...rows] = lines.map(parseCsvLine);
  return { result, header, rows };
}

async function sourceUris(): Promise<string[]> {
  return f.db.knex('samples').where({ project_id: f.project.id }).pluck<string[]>('source_uri');
}

const featureRows = async () =>
  Number((await f.db.knex('feature_cache').count<{ count: string }[]>('* as count'))[0]?.count);

function assertShape(e: Awaited<ReturnType<typeof runExport>>, dim: number, uris: string[]): void {
  assert.deepEqual(e.header, [
    'filename',
    ...Array.from({ length: dim }, (_, k) => `embedding_${k}`),
  ]);
  assert.equal(e.rows.length, uris.length);
  assert.deepEqual(e.rows.map((r) => r[0]).sort(), [...uris].sort());
  for (const r of e.rows) {
    assert.equal(r.length, dim + 1);
    for (const v of r.slice(1)) assert.ok(Number.isFinite(Number(v)) && v !== '', v);
  }
}

test('datapool: one row per sample, cold-start embedding, then only new images decoded', async () => {
  const first = await runExport();
  assert.equal(first.result.modelVersion, null);
  assert.equal(first.result.dim, 49);
  assertShape(first, 49, await sourceUris());
  const cachedAfterFirst = await featureRows();
  assert.equal(cachedAfterFirst, 40);

  // Three new images, one with a comma and quotes in its name (RFC 4180 quoting).
  const names = ['new-0.png', 'new,1.png', 'new "2".png'];
  for (const [k, name] of names.entries()) {
    const pixels = Buffer.alloc(28 * 28, 40 + 60 * k);
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(path.join(extraDir, name));
  }
  await registerFolderImages(f.db.knex, f.project, extraDir);
  const uris = await sourceUris();
  assert.equal(uris.length, 43);
  assert.ok(uris.some((u) => u.endsWith('new "2".png')));

  const second = await runExport();
  assert.equal(second.result.decoded, 3, 'only the new images are decoded');
  assert.equal(await featureRows(), cachedAfterFirst + 3);
  assertShape(second, 49, uris);

  const third = await runExport();
  assert.equal(third.result.decoded, 0);
});

test('datapool: with a model, the embedding is its penultimate layer', async () => {
  await labelFromQueue(f, 25);
  const outcome = await retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 3,
  });
  assert.equal(outcome.kind, 'model');
  const e = await runExport();
  assert.equal(e.result.modelVersion, outcome.version);
  assert.equal(e.result.dim, 64);
  assertShape(e, 64, await sourceUris());
});
