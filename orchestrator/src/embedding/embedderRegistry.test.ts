import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EMBEDDER_NAMES } from '@al/contract';
import pino from 'pino';
import { createRng } from '../acquisition/rng';
import { chooseBackend } from '../backend/chooseBackend';
import {
  EMBEDDER_LOADERS,
  embedderSourceKey,
  LoadedEmbedders,
  loadEmbedder,
} from './embedderRegistry';
import { barImages, GREY_28, norms, tempFolder, tfjsSettings } from './testing/embedderFixtures';
import { saveLayersModel, tinyLayersModel } from './testing/tinyTfjsModels';
import { DEFAULT_EMBEDDER_SETTINGS } from './poolEmbedder';

const logger = pino({ level: 'silent' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const deps = { tf, logger };

let temp: Awaited<ReturnType<typeof tempFolder>>;
let modelDir: string;

before(async () => {
  temp = await tempFolder('embedder-registry-');
  modelDir = path.join(temp.folder, 'backbone');
  const model = tinyLayersModel(tf, { height: 16, width: 16, channels: 3, seed: 1 });
  await saveLayersModel(tf, model, modelDir);
  model.dispose();
});

after(async () => {
  await temp.remove();
});

test('every embedder name of the settings has a loader', () => {
  assert.deepEqual(Object.keys(EMBEDDER_LOADERS).sort(), [...EMBEDDER_NAMES].sort());
});

test('the default embedder is PCA: 32 unit-length components learned from the sample', async () => {
  const embedder = await loadEmbedder(DEFAULT_EMBEDDER_SETTINGS, deps);
  assert.equal(embedder.key, 'pca:v1:32');
  const fitted = await embedder.fit({ pixels: barImages(80, 1), n: 80 }, GREY_28, createRng(1));
  assert.equal(fitted.dim, 32);
  assert.ok(fitted.explained !== undefined && fitted.explained > 0.5, `${fitted.explained}`);
  const rows = await fitted.embed(barImages(5, 2), 5);
  for (const norm of norms(rows, 32)) assert.ok(Math.abs(norm - 1) < 1e-4);
});

test('a backbone is loaded once per setting and disposed when no longer used', async () => {
  const baseline = tf.memory().numTensors;
  const loaded = new LoadedEmbedders();
  const settings = tfjsSettings(modelDir);
  const [a, b] = await Promise.all([loaded.get(settings, deps), loaded.get(settings, deps)]);
  assert.equal(a, b, 'one load for concurrent callers');
  assert.equal(await loaded.get({ ...settings }, deps), a, 'an equal setting reuses it');
  const symmetric = tfjsSettings(modelDir, { embedder_input_range: 'symmetric' });
  const other = await loaded.get(symmetric, deps);
  assert.notEqual(other, a);
  assert.equal(loaded.size, 2);
  const withBoth = tf.memory().numTensors;
  await loaded.retainOnly(new Set([embedderSourceKey(settings)]));
  assert.equal(loaded.size, 1);
  assert.ok(tf.memory().numTensors < withBoth, 'the dropped backbone freed its weights');
  await loaded.dispose();
  assert.equal(tf.memory().numTensors, baseline);
});

test('a failed load is forgotten, so the next retrain tries again', async () => {
  const loaded = new LoadedEmbedders();
  const later = path.join(temp.folder, 'later');
  const settings = tfjsSettings(later);
  await assert.rejects(loaded.get(settings, deps), /model\.json not found/);
  assert.equal(loaded.size, 0);
  await rename(modelDir, later);
  try {
    const embedder = await loaded.get(settings, deps);
    assert.match(embedder.key, /^tfjs-model:/);
  } finally {
    await rename(later, modelDir);
    await loaded.dispose();
  }
});
