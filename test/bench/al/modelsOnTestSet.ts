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
  loadStoredPredictor,
  type InputSpec,
} from '@al/orchestrator';
import pino from 'pino';
import type { BenchDataset } from './datasets';
import { classCounts, type RawImage } from './datasets/types';
import { encodePng } from './datasets/writePool';
import type { StoredModels } from './system/storedModels';

const logger = pino({ level: 'warn' });

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

/**
 * A head's backbone features of the test images by test index, per data set: every version
 * of a run sits on the same backbone, which embeds the test set once instead of per version.
 * (One backbone per bench run; a run on another backbone would use another process.)
 */
const headFeatures = new WeakMap<BenchDataset, Map<number, Float32Array>>();

function headFeatureCache(ds: BenchDataset): Map<number, Float32Array> {
  const cache = headFeatures.get(ds) ?? new Map<number, Float32Array>();
  headFeatures.set(ds, cache);
  return cache;
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
  const stored = await loadStoredPredictor({ artifacts }, { tf, logger }, headFeatureCache(ds));
  try {
    const { predictor, meta } = stored;
    const pixels = await testPixels(ds, meta.inputSpec);
    const ids = Array.from({ length: ds.test.n }, (_, i) => i);
    const { probs } = await predictor.predictSamples(ids, pixels);
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
    await stored.dispose();
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
