import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { createLocalFolderDatasource } from '@al/media';
import { createLogger } from '@al/media';
import { ThumbnailStore } from './thumbnailStore';

test('a local folder gets its thumbnail beside the original and serves from it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'thumbs-'));
  try {
    const original = path.join(dir, 'sub', 'big.png');
    await mkdir(path.dirname(original));
    await sharp({ create: { width: 800, height: 600, channels: 3, background: 'teal' } })
      .png()
      .toFile(original);
    const ds = createLocalFolderDatasource(dir);
    const store = new ThumbnailStore(createLogger('silent'));
    const at = { uri: original, relativePath: 'sub/big.png' };

    const first = await store.resized(ds, at, '.thumb.webp', 100);
    assert.equal(first.contentType, 'image/webp');
    await store.idle();
    const thumb = await sharp(await readFile(path.join(dir, 'sub', 'big.thumb.webp'))).metadata();
    assert.deepEqual([thumb.format, thumb.width, thumb.height], ['webp', 512, 384]);

    await rm(original);
    const again = await store.resized(ds, at, '.thumb.webp', 200);
    assert.equal((await sharp(again.body).metadata()).width, 200);
    const asIs = await store.resized(ds, at, '.thumb.webp', 512);
    assert.equal(asIs.body.length, (await stat(path.join(dir, 'sub', 'big.thumb.webp'))).size);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a corrupt stored thumbnail falls back to the original and is written again', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'thumbs-'));
  try {
    const original = path.join(dir, 'p.jpg');
    await sharp({ create: { width: 700, height: 700, channels: 3, background: 'red' } })
      .jpeg()
      .toFile(original);
    await writeFile(path.join(dir, 'p_thumb.jpg'), 'half a jpeg');
    const store = new ThumbnailStore(createLogger('silent'));
    const ds = createLocalFolderDatasource(dir);
    const answer = await store.resized(ds, { uri: original, relativePath: 'p.jpg' }, '_thumb', 64);
    assert.equal((await sharp(answer.body).metadata()).width, 64);
    await store.idle();
    const rewritten = await sharp(await readFile(path.join(dir, 'p_thumb.jpg'))).metadata();
    assert.equal(rewritten.width, 512);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
