/**
 * `--judge-on-backbone`: the judge sees each image through the pretrained backbone instead of
 * as downsampled pixels — the backbone's unit-length rows scaled by √dim, the input a
 * project's head gets with `classifier_input: 'backbone'`. A project on a backbone learns from
 * those features, so the order it is handed out in is worth what a network on them learns
 * from it; a judge on pixels would measure an order for a classifier the project does not have.
 * The backbone is the product's own embedder on the same model, each image fed at its own size.
 */
import * as tf from '@tensorflow/tfjs';
import { loadEmbedder, type EmbedderSettings } from '@al/orchestrator';
import pino from 'pino';
import type { BenchDataset } from './datasets';
import type { ImageSet, RawImage } from './datasets/types';

const BATCH = 200;

async function embedSet(
  set: ImageSet,
  image: (i: number) => RawImage,
  embed: (pixels: Uint8Array, n: number) => Promise<Float32Array>,
  dim: number,
): Promise<ImageSet> {
  const features = new Float32Array(set.n * dim);
  for (let start = 0; start < set.n; start += BATCH) {
    const images = Array.from({ length: Math.min(BATCH, set.n - start) }, (_, k) =>
      image(start + k),
    );
    const len = images[0]?.data.length ?? 0;
    const pixels = new Uint8Array(images.length * len);
    images.forEach((img, k) => {
      pixels.set(img.data, k * len);
    });
    const rows = await embed(pixels, images.length);
    const scale = Math.sqrt(dim);
    features.set(
      rows.map((v) => v * scale),
      start * dim,
    );
  }
  return { n: set.n, labels: set.labels, features, dim };
}

/** `ds` with the judge's pool and test features replaced by the backbone's. */
export async function judgeOnBackbone(
  ds: BenchDataset,
  settings: EmbedderSettings,
): Promise<BenchDataset> {
  const first = ds.poolImage(0);
  const spec = { width: first.width, height: first.height, channels: first.channels };
  const embedder = await loadEmbedder(settings, { tf, logger: pino({ level: 'warn' }) });
  try {
    const fitted = await embedder.fit({ pixels: new Uint8Array(0), n: 0 }, spec, () => 0);
    const embed = (pixels: Uint8Array, n: number) => fitted.embed(pixels, n);
    return {
      ...ds,
      pool: await embedSet(ds.pool, ds.poolImage, embed, fitted.dim),
      test: await embedSet(ds.test, ds.testImage, embed, fitted.dim),
      description: `${ds.description} (instead: the backbone's ${fitted.dim} features)`,
    };
  } finally {
    await embedder.dispose();
  }
}
