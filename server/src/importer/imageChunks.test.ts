import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatasourceEntry } from '@al/media';
import { imageChunks } from './imageChunks';

function entry(i: number): DatasourceEntry {
  const name = i % 4 === 3 ? `f${String(i)}.txt` : `f${String(i)}.png`;
  return { uri: `/r/${name}`, relativePath: name, size: 1 };
}

test('regroups pages into chunks, pulling at most one page ahead of the consumer', async () => {
  let pulled = 0;
  async function* pages(): AsyncGenerator<DatasourceEntry[]> {
    for (let p = 0; p < 10; p++) {
      await Promise.resolve(); // a listing request
      pulled++;
      yield Array.from({ length: 8 }, (_, i) => entry(p * 8 + i));
    }
  }
  const counts = { ignored: 0 };
  const chunks: number[] = [];
  for await (const chunk of imageChunks(pages(), 12, (e) => e.uri.endsWith('.png'), counts)) {
    chunks.push(chunk.length);
    // 6 images per page: a 12-image chunk needs 2 pages, plus the one already requested.
    assert.ok(pulled <= (chunks.length * 12) / 6 + 1, `pulled ${String(pulled)} pages`);
  }
  assert.deepEqual(chunks, [12, 12, 12, 12, 12]);
  assert.equal(counts.ignored, 20);
});

test('a listing error reaches the consumer, and stopping early closes the listing', async () => {
  async function* failing(): AsyncGenerator<DatasourceEntry[]> {
    yield [entry(0)];
    await Promise.resolve();
    throw new Error('bucket gone');
  }
  await assert.rejects(async () => {
    for await (const chunk of imageChunks(failing(), 1, () => true, { ignored: 0 })) {
      assert.equal(chunk.length, 1);
    }
  }, /bucket gone/);

  let closed = false;
  async function* endless(): AsyncGenerator<DatasourceEntry[]> {
    try {
      for (let i = 0; ; i++) {
        await Promise.resolve();
        yield [entry(i)];
      }
    } finally {
      closed = true;
    }
  }
  for await (const chunk of imageChunks(endless(), 1, () => true, { ignored: 0 })) {
    assert.equal(chunk.length, 1);
    break;
  }
  assert.equal(closed, true);
});
