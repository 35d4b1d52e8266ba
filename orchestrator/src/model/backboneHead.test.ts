import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { chooseBackend, type ChosenBackend } from '../backend/chooseBackend';
import type { FittedEmbedder } from '../embedding/poolEmbedder';
import { silentLogger } from '../testing/digitsFixture';
import { BackboneFeatures, epochsForHead, headInputs, HeadPredictor } from './backboneHead';
import { trainClassifier } from './trainClassifier';

let backend: ChosenBackend;

before(async () => {
  backend = await chooseBackend({ env: { TF_BACKEND: 'wasm' }, logger: silentLogger });
});

/** Float32 values to 3 decimals, for exact comparison. */
const rounded = (a: Float32Array | undefined) =>
  Array.from(a ?? [], (v) => Math.round(v * 1000) / 1000);

const SPEC = { width: 2, height: 1, channels: 1 } as const;
const BACKBONE = {
  key: 'test-backbone',
  settings: {
    embedder: 'tfjs-model' as const,
    embedder_model: '/m/model.json',
    embedder_output: null,
    embedder_input_range: 'unit' as const,
  },
};

/** A stand-in backbone: pixel (a, b) → (a, b) at unit length; counts the rows it embeds. */
function countingEmbedder(): FittedEmbedder & { embedded: number } {
  const e = {
    dim: 2,
    embedded: 0,
    embed(pixels: Uint8Array, n: number) {
      e.embedded += n;
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const a = pixels[i * 2] ?? 0;
        const b = pixels[i * 2 + 1] ?? 0;
        const norm = Math.hypot(a, b) || 1;
        out[i * 2] = a / norm;
        out[i * 2 + 1] = b / norm;
      }
      return Promise.resolve(out);
    },
  };
  return e;
}

test('features come from the cache where it has them; the rest are embedded once', async () => {
  const embedder = countingEmbedder();
  const cache = new Map([[1, Float32Array.of(0.6, 0.8)]]);
  const features = new BackboneFeatures(BACKBONE, embedder, cache);
  const pixels = Uint8Array.of(9, 9, 3, 0, 0, 5);
  const rows = await features.rowsOf([1, 2, 3], pixels);
  assert.deepEqual(rounded(rows), [0.6, 0.8, 1, 0, 0, 1], 'cached row kept, others embedded');
  assert.equal(embedder.embedded, 2);
  assert.deepEqual(rounded(cache.get(3)), [0, 1], 'new rows go into a cache that keeps');
  await features.rowsOf([3, 2, 1], pixels.slice().reverse());
  assert.equal(embedder.embedded, 2, 'nothing embedded twice');
});

test('a head learns classes from feature rows and predicts samples through the backbone', async () => {
  const { tf } = backend;
  // Two classes: pixels near (255, 40) and near (40, 255).
  const n = 60;
  const pixels = new Uint8Array(n * 2);
  const targets = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const jitter = (i * 37) % 60;
    pixels[i * 2 + cls] = 255;
    pixels[i * 2 + 1 - cls] = 20 + jitter;
    targets[i * 2 + cls] = 1;
  }
  const ids = Array.from({ length: n }, (_, i) => i);
  const features = new BackboneFeatures(BACKBONE, countingEmbedder());
  const rows = await features.rowsOf(ids, pixels);
  const model = await trainClassifier({
    tf,
    architecture: 'head',
    spec: SPEC,
    numClasses: 2,
    multiLabel: false,
    features: { rows: headInputs(rows, 2), dim: 2 },
    targets,
    epochs: epochsForHead(n),
    seed: 3,
  });
  try {
    const { probs, embeddingDim } = await new HeadPredictor(tf, model, features).predictSamples(
      ids,
      pixels,
    );
    assert.equal(embeddingDim, 64);
    let right = 0;
    for (let i = 0; i < n; i++) {
      const predicted = (probs[i * 2 + 1] ?? 0) > (probs[i * 2] ?? 0) ? 1 : 0;
      if (predicted === i % 2) right++;
    }
    assert.ok(right >= 0.95 * n, `${right}/${n} right`);
  } finally {
    model.dispose();
  }
});

test('epochsForHead: 100 epochs for few labels, fewer passes each as labels grow', () => {
  assert.equal(epochsForHead(50), 100);
  assert.equal(epochsForHead(600), 40);
  assert.equal(epochsForHead(5_000), 30);
  const rows = headInputs(Float32Array.of(0.6, 0.8, 0, 0), 4);
  assert.deepEqual(rounded(rows), [1.2, 1.6, 0, 0], 'unit rows scaled by √dim');
});
