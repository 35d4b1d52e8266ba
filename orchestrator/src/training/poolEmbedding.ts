/**
 * The pool embedding of one retrain: PCA fitted on a random sample of the open pool plus the
 * labelled images (so new images cost only a projection), the open pool and the labelled
 * images projected on it, and the pool's typicality. Needs no label, so the first order of a
 * new project is already built on it.
 */
import type { Tx } from '@al/db';
import { typicality } from '../acquisition/typicality';
import type { Rng } from '../acquisition/rng';
import type { TensorFlow } from '../backend/chooseBackend';
import { fitPca, projectPca } from '../embedding/pca';
import type { InputSpec } from '../features/inputSpec';
import { streamPoolFeatures } from '../features/streamPoolFeatures';
import { FloatPages } from './growableFloats';
import { FIT_SAMPLE, type ScoredPool } from './scorePool';

/** Components kept: enough for the main modes of variation, few enough that distances mean something. */
export const EMBEDDING_COMPONENTS = 32;

export interface PoolEmbedding {
  /** pool.ids.length × dim unit-length rows, in the pool's order. */
  pool: Float32Array;
  /** labelledCount × dim unit-length rows. */
  labelled: Float32Array;
  dim: number;
  typicality: Float32Array;
  /** Share of the pixel variance the components hold. */
  explained: number;
}

export async function embedPool({
  tf,
  knex,
  projectId,
  spec,
  pool,
  labelledPixels,
  labelledCount,
  rng,
  signal,
}: {
  tf: TensorFlow;
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  pool: ScoredPool;
  labelledPixels: Uint8Array;
  labelledCount: number;
  rng: Rng;
  signal?: AbortSignal;
}): Promise<PoolEmbedding> {
  const fromLabelled = Math.min(labelledCount, Math.floor(FIT_SAMPLE / 4));
  const rowLength = labelledCount > 0 ? labelledPixels.length / labelledCount : 0;
  const fitRows = pool.sample.n + fromLabelled;
  const fitPixels = new Uint8Array(
    fitRows * (rowLength || pool.sample.pixels.length / Math.max(pool.sample.n, 1)),
  );
  fitPixels.set(pool.sample.pixels, 0);
  fitPixels.set(labelledPixels.subarray(0, fromLabelled * rowLength), pool.sample.pixels.length);
  const basis = fitPca(tf, fitPixels, fitRows, EMBEDDING_COMPONENTS, rng);
  const projected = new FloatPages();
  for await (const page of streamPoolFeatures({ knex, projectId, spec })) {
    signal?.throwIfAborted();
    projected.push(projectPca(tf, basis, page.pixels, page.ids.length));
  }
  const embeddings = projected.join();
  if (embeddings.length !== pool.ids.length * basis.dim) {
    // The pool changed between the two passes (labels committed meanwhile): rows would not line up.
    throw new Error('the open pool changed while it was embedded; the next retrain starts over');
  }
  return {
    pool: embeddings,
    labelled: projectPca(tf, basis, labelledPixels, labelledCount),
    dim: basis.dim,
    typicality: typicality(tf, embeddings, basis.dim, rng),
    explained: basis.explained,
  };
}
