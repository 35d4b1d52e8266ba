/**
 * The pool embedding of one retrain: PCA fitted on a random sample of the open pool plus the
 * labelled images, the open pool and the labelled images projected on it, and the pool's
 * typicality. Needs no label, so the first order of a new project is already built on it.
 */
import type { Tx } from '@al/db';
import { typicality } from '../acquisition/typicality';
import type { Rng } from '../acquisition/rng';
import type { TensorFlow } from '../backend/chooseBackend';
import { fitPca, projectPca, type PcaBasis } from '../embedding/pca';
import { featureLength, inputSpecKey, type InputSpec } from '../features/inputSpec';
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
  /** False when a cached fit was reused. */
  refitted: boolean;
}

/** What one project's last fit left: the basis and each sample's typicality then. */
interface FittedEmbedding {
  spec: string;
  basis: PcaBasis;
  typicality: Map<number, number>;
  /** Typicality given to samples that came after the fit. */
  medianTypicality: number;
}

/**
 * The pool embedding does not change with labels, so a project's fit is kept between its
 * retrains and reused while at most REFIT_NEW_SHARE of the pool is new since; the costly parts
 * (the fit and the neighbour search) then run once per project instead of once per retrain.
 */
export class PoolEmbeddingCache {
  private readonly fits = new Map<number, FittedEmbedding>();

  get(projectId: number, spec: string): FittedEmbedding | undefined {
    const fit = this.fits.get(projectId);
    return fit?.spec === spec ? fit : undefined;
  }

  set(projectId: number, fit: FittedEmbedding): void {
    this.fits.set(projectId, fit);
  }
}

const REFIT_NEW_SHARE = 0.2;

async function projectPool(
  tf: TensorFlow,
  knex: Tx,
  projectId: number,
  spec: InputSpec,
  basis: PcaBasis,
  expectedRows: number,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const projected = new FloatPages();
  for await (const page of streamPoolFeatures({ knex, projectId, spec })) {
    signal?.throwIfAborted();
    projected.push(projectPca(tf, basis, page.pixels, page.ids.length));
  }
  const embeddings = projected.join();
  if (embeddings.length !== expectedRows * basis.dim) {
    // Labels committed between the two passes: the rows would not line up with the scores.
    throw new Error('the open pool changed while it was embedded; the next retrain starts over');
  }
  return embeddings;
}

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 1;
}

export async function embedPool({
  tf,
  knex,
  projectId,
  spec,
  pool,
  labelledPixels,
  labelledCount,
  cache,
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
  cache?: PoolEmbeddingCache;
  rng: Rng;
  signal?: AbortSignal;
}): Promise<PoolEmbedding> {
  const key = inputSpecKey(spec);
  const fit = cache?.get(projectId, key);
  const newIds = fit ? pool.ids.filter((id) => !fit.typicality.has(id)).length : Infinity;
  if (fit && newIds <= REFIT_NEW_SHARE * pool.ids.length) {
    const embeddings = await projectPool(
      tf,
      knex,
      projectId,
      spec,
      fit.basis,
      pool.ids.length,
      signal,
    );
    return {
      pool: embeddings,
      labelled: projectPca(tf, fit.basis, labelledPixels, labelledCount),
      dim: fit.basis.dim,
      typicality: Float32Array.from(
        pool.ids,
        (id) => fit.typicality.get(id) ?? fit.medianTypicality,
      ),
      explained: fit.basis.explained,
      refitted: false,
    };
  }
  const rowLength = featureLength(spec);
  const fromLabelled = Math.min(labelledCount, Math.floor(FIT_SAMPLE / 4));
  const fitRows = pool.sample.n + fromLabelled;
  const fitPixels = new Uint8Array(fitRows * rowLength);
  fitPixels.set(pool.sample.pixels, 0);
  fitPixels.set(labelledPixels.subarray(0, fromLabelled * rowLength), pool.sample.pixels.length);
  const basis = fitPca(tf, fitPixels, fitRows, EMBEDDING_COMPONENTS, rng);
  const embeddings = await projectPool(tf, knex, projectId, spec, basis, pool.ids.length, signal);
  const typ = typicality(tf, embeddings, basis.dim, rng);
  cache?.set(projectId, {
    spec: key,
    basis,
    typicality: new Map(pool.ids.map((id, i) => [id, typ[i] ?? 0])),
    medianTypicality: median(typ),
  });
  return {
    pool: embeddings,
    labelled: projectPca(tf, basis, labelledPixels, labelledCount),
    dim: basis.dim,
    typicality: typ,
    explained: basis.explained,
    refitted: true,
  };
}
