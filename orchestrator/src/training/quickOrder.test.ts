import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_INPUT_SPEC, inputSpecKey } from '../features/inputSpec';
import {
  createDigitsFixture,
  labelFromQueue,
  priorityMap,
  silentLogger,
  type DigitsFixture,
} from '../testing/digitsFixture';
import { retrainProject } from './retrainProject';

/** Import priorities are below this; any order the orchestrator writes is above it. */
const IMPORT_PRIORITY_CEILING = 1e-3;

let f: DigitsFixture;

before(async () => {
  f = await createDigitsFixture(200);
});

after(async () => {
  await f.destroy();
});

test('a fresh import gets a quick order of its queue head before the whole pool is decoded', async () => {
  const importOrder = [...(await priorityMap(f)).entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([id]) => id);
  let writes = 0;
  const failed = retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 1,
    quickOrderSamples: 60,
    beforeWrite: () => {
      writes++;
      // The full order's write fails: what is left is the quick order alone.
      return writes === 2 ? Promise.reject(new Error('full order not written')) : Promise.resolve();
    },
  });
  await assert.rejects(failed, /full order not written/);
  assert.equal(writes, 2, 'a quick order, then the full one');

  const ordered = [...(await priorityMap(f)).entries()].filter(
    ([, p]) => p >= IMPORT_PRIORITY_CEILING,
  );
  assert.equal(ordered.length, 60, 'the quick order covers the head only');
  assert.deepEqual(
    ordered.map(([id]) => id).sort((a, b) => a - b),
    importOrder.slice(0, 60).sort((a, b) => a - b),
    'the head of the import order is what was decoded and ordered first',
  );
  const cached = await f.db.knex('feature_cache').where({ spec: inputSpecKey(DEFAULT_INPUT_SPEC) });
  assert.equal(cached.length, 200, 'the rest was decoded before the full order');

  const full = await retrainProject(f.project.id, {
    knex: f.db.knex,
    backend: f.backend,
    logger: silentLogger,
    seed: 2,
    quickOrderSamples: 60,
  });
  assert.equal(full.written, 200, 'everything decoded: one full order, no quick one');
  assert.ok(!('headFeatures' in full.durationsMs));
  const all = [...(await priorityMap(f)).values()];
  assert.ok(all.every((p) => p >= IMPORT_PRIORITY_CEILING));
});

/** Open samples the orchestrator has ordered (priority above any import priority). */
async function orderedOpenCount(g: DigitsFixture): Promise<number> {
  const rows = await g.db
    .knex('samples')
    .where({ project_id: g.project.id, status: 'open' })
    .where('priority', '>=', IMPORT_PRIORITY_CEILING)
    .count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count ?? 0);
}

/** One retrain of `g`, and how many open samples were ordered as each of its orders was written. */
async function retrainCountingOrdered(
  g: DigitsFixture,
  o: { quickOrderSamples: number; epochs?: number },
) {
  const orderedAtWrite: number[] = [];
  const outcome = await retrainProject(g.project.id, {
    knex: g.db.knex,
    backend: g.backend,
    logger: silentLogger,
    seed: 1,
    ...o,
    beforeWrite: async () => {
      orderedAtWrite.push(await orderedOpenCount(g));
    },
  });
  return { outcome, orderedAtWrite };
}

test('labels given before the first retrain: the quick order, then the whole pool by embedding, then the model', async () => {
  const g = await createDigitsFixture(150);
  try {
    assert.equal(await labelFromQueue(g, 40), 40, 'a crowd labelled in import order meanwhile');
    const { outcome, orderedAtWrite } = await retrainCountingOrdered(g, {
      epochs: 2,
      quickOrderSamples: 50,
    });
    assert.equal(outcome.kind, 'model', 'then a model, as before');
    assert.equal(orderedAtWrite.length, 3, 'a quick order, a full cold-start order, the model');
    assert.equal(orderedAtWrite[0], 0, 'nothing ordered before the quick order');
    assert.equal(orderedAtWrite[1], 50, 'the quick order covered the head alone');
    assert.equal(orderedAtWrite[2], 110, 'the cold-start order covered every open sample');
    assert.ok('headFeatures' in outcome.durationsMs);

    let writes = 0;
    await g.db.knex('feature_cache').del();
    await retrainProject(g.project.id, {
      knex: g.db.knex,
      backend: g.backend,
      logger: silentLogger,
      seed: 2,
      epochs: 2,
      quickOrderSamples: 50,
      beforeWrite: () => {
        writes++;
        return Promise.resolve();
      },
    });
    assert.equal(writes, 2, 'with a model, the quick order then the new model: no cold start');
  } finally {
    await g.destroy();
  }
});

test('while a large fresh import is decoded, its cold-start order follows the pool each time it doubles', async () => {
  const g = await createDigitsFixture(1_300);
  try {
    const { outcome, orderedAtWrite } = await retrainCountingOrdered(g, { quickOrderSamples: 100 });
    assert.equal(outcome.kind, 'cold-start');
    // Decoded in pages of 500: the head (100), then 600 after the first page (≥ twice 100),
    // not after the second (1,100 < twice 600), and the whole pool at the end.
    assert.deepEqual(orderedAtWrite, [0, 100, 600], 'orders written over 100, 600, then 1,300');
    assert.equal(outcome.written, 1_300);
  } finally {
    await g.destroy();
  }
});

test('until a retrain completes, a head that holds the whole pool is still ordered first: an import may be adding more', async () => {
  const g = await createDigitsFixture(80);
  try {
    const writesOfOneRetrain = async () => {
      let writes = 0;
      await retrainProject(g.project.id, {
        knex: g.db.knex,
        backend: g.backend,
        logger: silentLogger,
        seed: 1,
        quickOrderSamples: 1_000,
        beforeWrite: () => {
          writes++;
          return Promise.resolve();
        },
      });
      return writes;
    };
    assert.equal(await writesOfOneRetrain(), 2, 'never ordered: the head, then the full order');
    await g.db
      .knex('retrain_jobs')
      .insert({ project_id: g.project.id, reason: 'timer', status: 'done' });
    await g.db.knex('feature_cache').del();
    assert.equal(await writesOfOneRetrain(), 1, 'ordered before: the new images wait for the rest');
  } finally {
    await g.destroy();
  }
});
