/**
 * The folder export with S3 sources (s3rver): by default objects are listed in the manifest by
 * URI only; --copy downloads them into their label's folder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FinalLabelRow } from '@al/contract';
import { createS3Datasource } from '@al/media';
import { startS3rver, type TestS3 } from '@al/media/testing';
import { exportToFolders, MANIFEST_NAME } from '@al/server';
import { pngBytes } from '../server/helpers';

const BUCKET = 'export-bucket';
const ROOT = `s3://${BUCKET}/shots`;

let s3: TestS3;
let work: string;
const objects = new Map<string, Buffer>();

before(async () => {
  s3 = await startS3rver();
  await s3.createBucket(BUCKET);
  work = await mkdtemp(path.join(tmpdir(), 'export-s3-'));
  for (const [i, key] of ['shots/x/1.png', 'shots/y/1.png'].entries()) {
    const bytes = await pngBytes(40 + i);
    await s3.put(BUCKET, key, bytes);
    objects.set(`s3://${BUCKET}/${key}`, bytes);
  }
});

after(async () => {
  await s3.close();
  await rm(work, { recursive: true, force: true });
});

/** Final-label rows as the service streams them: two labelled objects and one not yet. */
function rows(): FinalLabelRow[] {
  const [first = '', second = ''] = objects.keys();
  return [
    { sampleId: 1, uri: first, label: 'cat', confidence: 0.9, answers: 1 },
    { sampleId: 2, uri: second, label: 'dog', confidence: 0.9, answers: 1 },
    { sampleId: 9, uri: `${ROOT}/never.png`, label: null, confidence: null, answers: 0 },
  ];
}

const exportTo = (out: string, mode: 'symlink' | 'copy') =>
  exportToFolders({
    rows: rows(),
    sourceRoots: [ROOT],
    out,
    mode,
    minConfidence: 0,
    datasourceFor: (root) => createS3Datasource(root, s3.options),
  });

test('S3 objects: listed by URI in the manifest, downloaded into label folders with copy', async () => {
  const listed = path.join(work, 'listed');
  const summary = await exportTo(listed, 'symlink');
  assert.deepEqual([summary.written, summary.listedOnly, summary.unlabelled], [0, 2, 1]);
  assert.deepEqual(await readdir(listed), [MANIFEST_NAME]);
  const lines = (await readFile(path.join(listed, MANIFEST_NAME), 'utf8')).trimEnd().split('\n');
  assert.deepEqual(lines.slice(1), [
    `,s3://${BUCKET}/shots/x/1.png,cat,0.9,1`,
    `,s3://${BUCKET}/shots/y/1.png,dog,0.9,1`,
  ]);

  const copied = path.join(work, 'copied');
  const downloads = await exportTo(copied, 'copy');
  assert.deepEqual([downloads.written, downloads.listedOnly], [2, 0]);
  assert.deepEqual((await readdir(copied)).sort(), ['cat', 'dog', MANIFEST_NAME]);
  assert.deepEqual(
    await readFile(path.join(copied, 'cat', '1-1.png')),
    objects.get(`${ROOT}/x/1.png`),
  );
  assert.deepEqual(
    await readFile(path.join(copied, 'dog', '2-1.png')),
    objects.get(`${ROOT}/y/1.png`),
  );
});
