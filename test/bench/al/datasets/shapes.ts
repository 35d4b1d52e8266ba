/**
 * A procedural colour data set of 10 shape and texture classes (see shapesDraw.ts), generated
 * per seed: a balanced pool of 4,000 and a balanced test set of 2,000 64×64 RGB images. The
 * judge sees them area-averaged to judgeSide×judgeSide×3.
 */
import { createRng, deriveSeed, shuffleInPlace } from '../rng';
import { areaAverage } from './areaAverage';
import { drawShape, SHAPE_CLASSES, SHAPE_SIDE } from './shapesDraw';
import type { BenchDataset, ImageSet, RawImage } from './types';

const POOL_SIZE = 4_000;
const TEST_SIZE = 2_000;
const CHANNELS = 3;

function imageSet(images: Uint8Array[], labels: number[], judgeSide: number): ImageSet {
  const dim = judgeSide * judgeSide * CHANNELS;
  const features = new Float32Array(images.length * dim);
  images.forEach((img, i) => {
    areaAverage(img, SHAPE_SIDE, CHANNELS, judgeSide, features, i * dim);
  });
  return { n: images.length, labels: Int32Array.from(labels), features, dim };
}

export function buildShapes(seed: number, judgeSide: number): BenchDataset {
  if (SHAPE_SIDE % judgeSide !== 0) {
    throw new Error(`--judge-side must divide ${SHAPE_SIDE} (got ${judgeSide})`);
  }
  const classes = SHAPE_CLASSES.length;
  const rng = createRng(deriveSeed(seed, 4));
  const labels = shuffleInPlace(
    rng,
    Array.from({ length: POOL_SIZE + TEST_SIZE }, (_, i) => i % classes),
  );
  const images = labels.map((cls, i) => drawShape(cls, createRng(deriveSeed(seed, 5, i))));
  const poolImages = images.slice(0, POOL_SIZE);
  const testImages = images.slice(POOL_SIZE);
  const pool = imageSet(poolImages, labels.slice(0, POOL_SIZE), judgeSide);
  const test = imageSet(testImages, labels.slice(POOL_SIZE), judgeSide);
  const raw = (image: Uint8Array | undefined): RawImage => ({
    data: image ?? new Uint8Array(SHAPE_SIDE * SHAPE_SIDE * CHANNELS),
    width: SHAPE_SIDE,
    height: SHAPE_SIDE,
    channels: CHANNELS,
  });
  return {
    name: 'shapes',
    classNames: [...SHAPE_CLASSES],
    pool,
    test,
    poolImage: (i) => raw(poolImages[i]),
    testImage: (i) => raw(testImages[i]),
    description: `procedural 64×64 RGB, 10 classes, pool ${pool.n} and test ${test.n} balanced; judge sees ${judgeSide}×${judgeSide}×3`,
  };
}
