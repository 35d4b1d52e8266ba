import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
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
} from './testing/embedderFixtures';
import { tinyOnnxModel, type TinyOnnxModel } from './testing/onnxModelBytes';
import { loadOnnxModelEmbedder } from './onnxModelEmbedder';
import {
  DEFAULT_EMBEDDER_SETTINGS,
  EmbedderLoadError,
  type EmbedderSettings,
} from './poolEmbedder';

const logger = pino({ level: 'silent' });
const { tf } = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger });
const deps = { tf, logger };

const ONNX_RUNTIME: string = 'onnxruntime-node';
const missing = await import(ONNX_RUNTIME).then(
  () => false,
  () => 'onnxruntime-node (an optional dependency) is not installed',
);

let temp: Awaited<ReturnType<typeof tempFolder>>;

before(async () => {
  temp = await tempFolder('onnx-embedder-');
});

after(async () => {
  await temp.remove();
});

async function writeModel(name: string, o: Partial<TinyOnnxModel> = {}): Promise<string> {
  const file = path.join(temp.folder, name);
  const model = { channels: 3, height: 16, width: 16, dim: 8, seed: 5, ...o };
  await writeFile(file, tinyOnnxModel(model));
  return file;
}

const onnxSettings = (model: string, extra: Partial<EmbedderSettings> = {}): EmbedderSettings => ({
  ...DEFAULT_EMBEDDER_SETTINGS,
  embedder: 'onnx-model',
  embedder_model: model,
  ...extra,
});

async function embedBars(settings: EmbedderSettings, n = 6) {
  const before = tf.memory().numTensors;
  const embedder = await loadOnnxModelEmbedder(settings, deps);
  const fitted = await embedder.fit({ pixels: barImages(30, 1), n: 30 }, GREY_28, createRng(1));
  const pixels = barImages(n, 2);
  const rows = await fitted.embed(pixels, n);
  const again = await fitted.embed(pixels, n);
  await embedder.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor outlives the embedder');
  assert.equal(rows.length, n * fitted.dim);
  for (const norm of norms(rows, fitted.dim)) assert.ok(Math.abs(norm - 1) < 1e-4, `${norm}`);
  assert.deepEqual(again, rows, 'deterministic');
  assert.ok(rowDistance(rows, fitted.dim, 0, 1) > 1e-3, 'different images, different rows');
  return { key: embedder.key, dim: fitted.dim, rows };
}

test('a tiny ONNX model (NCHW 3×16×16) embeds 28×28 grey pixels', { skip: missing }, async () => {
  const file = await writeModel('nchw.onnx');
  const e = await embedBars(onnxSettings(file));
  assert.equal(e.dim, 8);
  assert.match(e.key, /^onnx-model:v1:[0-9a-f]{16}:embedding:unit$/);
  const nhwc = await embedBars(onnxSettings(await writeModel('nhwc.onnx', { channelsLast: true })));
  assert.equal(nhwc.dim, 8, 'a channels-last input is fed channels-last');
  assert.notEqual(nhwc.key, e.key);
});

test('embedder_output picks one of several ONNX outputs', { skip: missing }, async () => {
  const file = await writeModel('two.onnx', { outputs: ['embedding', 'projection'] });
  await assert.rejects(
    loadOnnxModelEmbedder(onnxSettings(file), deps),
    /has outputs embedding, projection; name one with embedder_output/,
  );
  const tanh = await embedBars(onnxSettings(file, { embedder_output: 'embedding' }));
  const linear = await embedBars(onnxSettings(file, { embedder_output: 'projection' }));
  assert.notDeepEqual(tanh.rows, linear.rows);
  await assert.rejects(
    loadOnnxModelEmbedder(onnxSettings(file, { embedder_output: 'logits' }), deps),
    /has no output "logits"/,
  );
});

test('an ONNX model loads by http URL', { skip: missing }, async () => {
  const file = await writeModel('served.onnx');
  const served = await serveFolder(temp.folder);
  try {
    const local = await embedBars(onnxSettings(file));
    const remote = await embedBars(onnxSettings(`${served.url}/served.onnx`));
    assert.equal(remote.key, local.key);
    assert.deepEqual(remote.rows, local.rows);
    await assert.rejects(
      loadOnnxModelEmbedder(onnxSettings(`${served.url}/none.onnx`), deps),
      /model http:\/\/127\.0\.0\.1:\d+\/none\.onnx answered HTTP 404/,
    );
  } finally {
    await served.close();
  }
});

test(
  'a missing file, a file that is no model, an input it cannot feed',
  { skip: missing },
  async () => {
    await assert.rejects(
      loadOnnxModelEmbedder(onnxSettings(path.join(temp.folder, 'none.onnx')), deps),
      (err: unknown) =>
        err instanceof EmbedderLoadError && /model file not found/.test(err.message),
    );
    const junk = path.join(temp.folder, 'junk.onnx');
    await writeFile(junk, 'not a protobuf at all');
    await assert.rejects(
      loadOnnxModelEmbedder(onnxSettings(junk), deps),
      /is not a model onnxruntime can run/,
    );
    const fiveChannels = await writeModel('five.onnx', { channels: 5, height: 4, width: 4 });
    const embedder = await loadOnnxModelEmbedder(onnxSettings(fiveChannels), deps);
    await assert.rejects(
      embedder.fit({ pixels: barImages(2, 1), n: 2 }, GREY_28, createRng(1)),
      /takes input \[\?, 5, 4, 4\], which cannot be fed: the channel axis must be 1 or 3/,
    );
    await embedder.dispose();
  },
);
