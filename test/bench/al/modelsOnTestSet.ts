/**
 * The system's own models on the test set. Each stored version is loaded with the
 * orchestrator's loader, fed the test images as the orchestrator feeds pool images (the PNG
 * writePool writes, through the product's decodeFeatures under the model's input spec), and
 * scored with the product's metric. So its test accuracy is the quantity the reported held-out
 * accuracy claims to estimate, on 2,000 images instead of a few dozen.
 */
import * as tf from '@tensorflow/tfjs';
import {
  decodeFeatures,
  evaluatePredictions,
  inputSpecKey,
  loadModel,
  Predictor,
  type InputSpec,
} from '@al/orchestrator';
import type { BenchDataset } from './datasets';
import { classCounts, type RawImage } from './datasets/types';
import { encodePng } from './datasets/writePool';
import type { StoredModels } from './system/storedModels';

export interface ModelTestAccuracy {
  version: number;
  /** Share of the test set predicted right. */
  plain: number;
  /**
   * Per-class test accuracies weighted by the pool's class shares. The held-out labels are a
   * random sample of the pool, so the reported accuracy estimates accuracy on the pool's class
   * mix; the test set is balanced for every data set, which for a long-tailed pool is another
   * quantity. Equal to `plain` when the pool is balanced too.
   */
  poolMix: number;
}

export interface PoolDecodingCheck {
  /** Pool images whose features the orchestrator had cached, decoded again by the bench. */
  checked: number;
  /** How many of them the bench decoded into the same bytes. */
  identical: number;
}

export interface ModelsOnTestSet {
  accuracies: ModelTestAccuracy[];
  poolDecoding: PoolDecodingCheck;
}

/** Decoded test images per data set and spec: every mode of a seed evaluates on the same. */
const decodedTests = new WeakMap<BenchDataset, Map<string, Uint8Array>>();

async function decodeAll(images: RawImage[], spec: InputSpec): Promise<Buffer[]> {
  return Promise.all(images.map(async (img) => decodeFeatures(await encodePng(img), spec)));
}

async function testPixels(ds: BenchDataset, spec: InputSpec): Promise<Uint8Array> {
  const bySpec = decodedTests.get(ds) ?? new Map<string, Uint8Array>();
  decodedTests.set(ds, bySpec);
  const cached = bySpec.get(inputSpecKey(spec));
  if (cached) return cached;
  const len = spec.width * spec.height * spec.channels;
  const pixels = new Uint8Array(ds.test.n * len);
  // In slices: sharp decodes on libuv's pool, and 2,000 promises at once gain nothing.
  for (let start = 0; start < ds.test.n; start += 100) {
    const end = Math.min(ds.test.n, start + 100);
    const images = Array.from({ length: end - start }, (_, k) => ds.testImage(start + k));
    (await decodeAll(images, spec)).forEach((f, k) => {
      pixels.set(f, (start + k) * len);
    });
  }
  bySpec.set(inputSpecKey(spec), pixels);
  return pixels;
}

/** Decodes the pool images whose cached features were read and compares the bytes. */
async function checkPoolDecoding(ds: BenchDataset, stored: StoredModels) {
  const { spec } = stored;
  if (!spec) return { checked: 0, identical: 0 };
  const entries = [...stored.poolFeatures];
  const ours = await decodeAll(
    entries.map(([i]) => ds.poolImage(i)),
    spec,
  );
  const identical = entries.filter(([, cached], k) => ours[k]?.equals(cached) === true).length;
  return { checked: entries.length, identical };
}

async function testAccuracy(
  ds: BenchDataset,
  artifacts: unknown,
  poolShares: number[],
): Promise<Omit<ModelTestAccuracy, 'version'>> {
  const { model, meta } = await loadModel(tf, { artifacts });
  try {
    const pixels = await testPixels(ds, meta.inputSpec);
    const { probs } = new Predictor(tf, model).predict(pixels, ds.test.n);
    // The model's classes are the project's labels; the data set's class names in its order.
    const column = ds.classNames.map((name) => meta.labels.indexOf(name));
    const c = meta.labels.length;
    const targets = new Float32Array(ds.test.n * c);
    ds.test.labels.forEach((truth, i) => {
      const k = column[truth] ?? -1;
      if (k < 0) throw new Error(`class ${ds.classNames[truth] ?? truth} is not a model label`);
      targets[i * c + k] = 1;
    });
    const metrics = evaluatePredictions({
      probs,
      targets,
      labels: meta.labels,
      multiLabel: meta.multiLabel,
    });
    // Per-class recall is the class's test accuracy.
    const poolMix = poolShares.reduce(
      (sum, share, cls) => sum + share * (metrics.perClass[column[cls] ?? -1]?.recall ?? 0),
      0,
    );
    return { plain: metrics.accuracy ?? 0, poolMix };
  } finally {
    model.dispose();
  }
}

export async function evaluateOnTestSet(
  ds: BenchDataset,
  stored: StoredModels,
): Promise<ModelsOnTestSet> {
  const counts = classCounts(ds.pool.labels, ds.classNames.length);
  const poolShares = counts.map((n) => n / ds.pool.n);
  const accuracies: ModelTestAccuracy[] = [];
  for (const m of stored.models) {
    accuracies.push({ version: m.version, ...(await testAccuracy(ds, m.artifacts, poolShares)) });
  }
  return { accuracies, poolDecoding: await checkPoolDecoding(ds, stored) };
}
