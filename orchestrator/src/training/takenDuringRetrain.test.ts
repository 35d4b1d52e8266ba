import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { insertSamples, type DbSampleRow } from '@al/db';
import { createDigitsFixture, labelFromQueue, silentLogger } from '../testing/digitsFixture';
import type { DigitsFixture } from '../testing/digitsFixture';
import { retrainProject } from './retrainProject';

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(150);
  // No random share of the order: where the twins land is then up to selection alone.
  await f.db
    .knex('projects')
    .where({ id: f.project.id })
    .update({ acquisition: { shuffle_prop: 0 } });
});

after(async () => {
  await f.destroy();
});

const openOrder = (split?: 'train') =>
  f.db
    .knex('samples')
    .where({ project_id: f.project.id, status: 'open', ...(split && { split }) })
    .orderBy([{ column: 'priority', order: 'desc' }, 'id'])
    .pluck<number[]>('id');

/**
 * The project's sample `id` again under another file name (same pixels, same content hash), at
 * the tail of the queue until a retrain orders it.
 */
async function duplicate(id: number): Promise<number> {
  const row = await f.db.knex<DbSampleRow>('samples').where({ id }).first();
  assert.ok(row);
  const copy = row.source_uri.replace(/\.png$/, '-copy.png');
  await copyFile(row.source_uri, copy);
  await insertSamples({
    tx: f.db.knex,
    projectId: f.project.id,
    samples: [
      {
        sourceUri: copy,
        contentHash: row.content_hash,
        width: row.width,
        height: row.height,
        byteSize: row.byte_size,
        priority: -1e9,
        split: 'train',
      },
    ],
  });
  const added = await f.db.knex('samples').where({ source_uri: copy }).first<{ id: number }>();
  return added.id;
}

const retrain = (heartbeat?: () => Promise<void>) =>
  retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    epochs: 5,
    heartbeat,
  });

/** A heartbeat that labels `count` samples from the queue once the retrain has read the labels. */
function labelAfterRead(count: number) {
  let beats = 0;
  return async () => {
    beats++;
    if (beats === 2) assert.equal(await labelFromQueue(f, count), count);
  };
}

test('samples labelled while a retrain runs are covered: their twins do not lead its order', async () => {
  assert.equal((await retrain()).kind, 'cold-start');
  // The head of this order is what a crowd labels while the next retrain runs.
  const head = (await openOrder()).slice(0, 8);
  const training = await f.db
    .knex('samples')
    .whereIn('id', head)
    .where({ split: 'train' })
    .pluck<number[]>('id');
  assert.ok(training.length >= 5, 'the head is mostly training samples');
  const twins = await Promise.all(training.map(duplicate));

  // Labellers take the head after the retrain has read the labels (its second phase).
  const outcome = await retrain(labelAfterRead(head.length));
  assert.deepEqual(Object.keys(outcome.durationsMs).slice(0, 2), ['features', 'loadLabels']);
  const labelled = await f.db.knex('samples').whereIn('id', head).where({ status: 'done' });
  assert.equal(labelled.length, head.length, 'the head was labelled during the retrain');

  const order = await openOrder('train');
  const ranks = twins.map((id) => order.indexOf(id));
  assert.ok(
    ranks.every((r) => r >= order.length / 2),
    `twins of taken samples rank ${ranks.join(', ')} of ${order.length}`,
  );
});
