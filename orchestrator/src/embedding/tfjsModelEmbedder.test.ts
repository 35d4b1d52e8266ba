import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createRng } from '../acquisition/rng';
import { chooseBackend } from '../backend/chooseBackend';
import {
  barImages,
  GREY_28,
  norms,
  rowDistance,
  serveFolder,
  tempFolder,
  tfjsSettings,
} from './testing/embedderFixtures';
import { saveLayersModel, tinyLayersModel, writeTinyGraphModel } from './testing/tinyTfjsModels';
import { EmbedderLoadError, type EmbedderSettings } from './poolEmbedder';
import { loadTfjsModelEmbedder } from './tfjsModelEmbedder';

const logger = pino({ level: 'silent' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const deps = { tf, logger };

let temp: Awaited<ReturnType<typeof tempFolder>>;
let layersDir: string;
let graphDir: string;

before(async () => {
  temp = await tempFolder('tfjs-embedder-');
  layersDir = path.join(temp.folder, 'layers');
  graphDir = path.join(temp.folder, 'graph');
  const model = tinyLayersModel(tf, { height: 16, width: 16, channels: 3, seed: 7 });
  await saveLayersModel(tf, model, layersDir);
  model.dispose();
  await writeTinyGraphModel(graphDir, { size: 12, filters: 6, seed: 3 });
});

after(async () => {
  await temp.remove();
});

/** Loads, fits on 40 bar images, embeds `n` more, disposes; checks no tensor outlives it. */
async function embedBars(settings: EmbedderSettings, n = 6) {
  const before = tf.memory().numTensors;
  const embedder = await loadTfjsModelEmbedder(settings, deps);
  const loaded = tf.memory().numTensors;
  const fitted = await embedder.fit({ pixels: barImages(40, 1), n: 40 }, GREY_28, createRng(1));
  const pixels = barImages(n, 2);
  const rows = await fitted.embed(pixels, n);
  const again = await fitted.embed(pixels, n);
  assert.equal(tf.memory().numTensors, loaded, 'fitting and embedding keep no tensor');
  await embedder.dispose();
  assert.equal(tf.memory().numTensors, before, 'dispose frees every tensor of the model');
  return { key: embedder.key, dim: fitted.dim, rows, again };
}

function assertGoodEmbedding(e: Awaited<ReturnType<typeof embedBars>>, dim: number, n = 6) {
  assert.equal(e.dim, dim);
  assert.equal(e.rows.length, n * dim);
  for (const norm of norms(e.rows, dim)) assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
  assert.deepEqual(e.again, e.rows, 'the same pixels embed the same way');
  assert.ok(rowDistance(e.rows, dim, 0, 1) > 1e-3, 'a vertical and a horizontal bar differ');
}

test('a saved layers model (16×16 RGB) loads from its folder and embeds 28×28 grey pixels', async () => {
  const e = await embedBars(tfjsSettings(layersDir));
  assertGoodEmbedding(e, 4);
  assert.match(e.key, /^tfjs-model:v1:[0-9a-f]{16}::unit$/);
  const byFile = await embedBars(tfjsSettings(path.join(layersDir, 'model.json')));
  assert.equal(byFile.key, e.key, 'the folder and its model.json are the same model');
  assert.deepEqual(byFile.rows, e.rows, 'a second load embeds identically');
  const url = await embedBars(tfjsSettings(`file://${layersDir}/model.json`));
  assert.deepEqual(url.rows, e.rows, 'a file:// URL reads the same files');
});

test('embedder_output takes an inner layer; the input range changes the embedding', async () => {
  const inner = await embedBars(tfjsSettings(layersDir, { embedder_output: 'features' }));
  assertGoodEmbedding(inner, 8);
  const pooled = await embedBars(tfjsSettings(layersDir, { embedder_output: 'conv' }));
  assertGoodEmbedding(pooled, 4);
  const unit = await embedBars(tfjsSettings(layersDir));
  const symmetric = await embedBars(tfjsSettings(layersDir, { embedder_input_range: 'symmetric' }));
  assert.notDeepEqual(symmetric.rows, unit.rows);
  assert.notEqual(symmetric.key, unit.key);
  const bytes = await embedBars(tfjsSettings(layersDir, { embedder_input_range: 'bytes' }));
  assert.notDeepEqual(bytes.rows, unit.rows);
  assert.notDeepEqual(bytes.rows, symmetric.rows);
  assert.notEqual(bytes.key, unit.key);
  await assert.rejects(
    loadTfjsModelEmbedder(tfjsSettings(layersDir, { embedder_output: 'nope' }), deps),
    /has no layer "nope" \(it has .*features/,
  );
});

test('a graph model loads from its folder, whole or up to a named node', async () => {
  const e = await embedBars(tfjsSettings(graphDir));
  assertGoodEmbedding(e, 6);
  const conv = await embedBars(tfjsSettings(graphDir, { embedder_output: 'conv' }));
  assertGoodEmbedding(conv, 6);
  assert.notDeepEqual(conv.rows, e.rows, 'pooling before tanh differs from after');
});

test('layers and graph models load by http URL through tf.io.http and Node fetch', async () => {
  const served = await serveFolder(layersDir);
  const graph = await serveFolder(graphDir);
  try {
    const local = await embedBars(tfjsSettings(layersDir));
    const remote = await embedBars(tfjsSettings(`${served.url}/model.json`));
    assert.equal(remote.key, local.key, 'same files, same digest');
    assert.deepEqual(remote.rows, local.rows);
    assertGoodEmbedding(await embedBars(tfjsSettings(`${graph.url}/model.json`)), 6);
    await assert.rejects(
      loadTfjsModelEmbedder(tfjsSettings(`${served.url}/nothing.json`), deps),
      (err: unknown) =>
        err instanceof EmbedderLoadError && /could not be loaded.*404/s.test(err.message),
    );
  } finally {
    await served.close();
    await graph.close();
  }
});

test('a missing file, a bad model.json or missing weights fail with a clear error', async () => {
  const bad = path.join(temp.folder, 'bad');
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['no folder', () => Promise.resolve(), /model\.json not found: .*nowhere\/model\.json/],
    [
      'not JSON',
      () => writeFile(path.join(bad, 'model.json'), '{"modelTopology": '),
      /is not JSON/,
    ],
    [
      'no topology',
      () => writeFile(path.join(bad, 'model.json'), '{"weightsManifest": []}'),
      /is not a TF\.js model\.json:[\s\S]*modelTopology/,
    ],
    [
      'no weights file',
      async () => {
        const json = JSON.parse(
          await readFile(path.join(layersDir, 'model.json'), 'utf8'),
        ) as object;
        await writeFile(path.join(bad, 'model.json'), JSON.stringify(json));
      },
      /weight file of .* not found: .*weights\.bin/,
    ],
    [
      'short weights',
      () => writeFile(path.join(bad, 'weights.bin'), Buffer.alloc(12)),
      /weights list \d+ bytes, the files hold 12/,
    ],
  ];
  await mkdir(bad, { recursive: true });
  for (const [name, prepare, message] of cases) {
    await prepare();
    const where = name === 'no folder' ? path.join(temp.folder, 'nowhere') : bad;
    await assert.rejects(
      loadTfjsModelEmbedder(tfjsSettings(where), deps),
      (err: unknown) => err instanceof EmbedderLoadError && message.test(err.message),
      name,
    );
  }
});

test('an input the embedder cannot feed is refused when fitting, naming the shape', async () => {
  const cases: [number[], RegExp][] = [
    [[16, 16, 5], /takes input \[\?, 16, 16, 5\], which cannot be fed: the channel axis/],
    [[48], /takes input \[\?, 48\], which cannot be fed/],
  ];
  for (const [shape, message] of cases) {
    const folder = path.join(temp.folder, `shape-${shape.join('x')}`);
    const input = tf.input({ shape });
    const flat = shape.length > 1 ? tf.layers.flatten().apply(input) : input;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 3 }).apply(flat) as typeof input,
    });
    await saveLayersModel(tf, model, folder);
    model.dispose();
    const before = tf.memory().numTensors;
    const embedder = await loadTfjsModelEmbedder(tfjsSettings(folder), deps);
    await assert.rejects(
      embedder.fit({ pixels: barImages(2, 1), n: 2 }, GREY_28, createRng(1)),
      message,
    );
    await embedder.dispose();
    assert.equal(tf.memory().numTensors, before);
  }
});
