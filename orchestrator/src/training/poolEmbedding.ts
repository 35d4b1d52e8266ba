/**
 * The pool embedding of one retrain: the project's embedder (acquisition setting `embedder`:
 * PCA by default, or a pretrained backbone) fitted on a random sample of the open pool plus
 * the labelled images, the open pool and the labelled images embedded with it, and the pool's
 * typicality. Needs no label, so the first order of a new project is already built on it.
 */
import type { Tx } from '@al/db';
import type { Logger } from 'pino';
import { typicality } from '../acquisition/typicality';
import type { Rng } from '../acquisition/rng';
import type { TensorFlow } from '../backend/chooseBackend';
import { embedderSourceKey, loadEmbedder, LoadedEmbedders } from '../embedding/embedderRegistry';
import {
  DEFAULT_EMBEDDER_SETTINGS,
  type EmbedderSettings,
  type FittedEmbedder,
  type PoolEmbedder,
} from '../embedding/poolEmbedder';
import type { PcaBasis } from '../embedding/pca';
import { featureLength, inputSpecKey, type InputSpec } from '../features/inputSpec';
import { BackboneFeatures } from '../model/backboneHead';
import { streamPoolFeatures } from '../features/streamPoolFeatures';
import { FIT_SAMPLE, type ScoredPool } from './scorePool';

export interface PoolEmbedding {
  /** pool.ids.length × dim unit-length rows, in the pool's order. */
  pool: Float32Array;
  /** labelledCount × dim unit-length rows. */
  labelled: Float32Array;
  dim: number;
  typicality: Float32Array;
  /** Share of the pixel variance the embedding holds (PCA); null for a backbone. */
  explained: number | null;
  /** The embedder's key (name, version, model digest). */
  embedder: string;
  /** False when a cached fit was reused. */
  refitted: boolean;
}

/**
 * What one project's last fit left: the fitted embedder, and each then-open sample's
 * embedding row and typicality (row `rowOf.get(id)`).
 */
interface FittedEmbedding {
  /** Input spec and embedder key of the fit: either changing refits. */
  key: string;
  /** The setting it was loaded from (LoadedEmbedders' key). */
  source: string;
  fitted: FittedEmbedder;
  rowOf: Map<number, number>;
  embeddings: Float32Array;
  typicality: Float32Array;
  /** Typicality given to samples that came after the fit. */
  medianTypicality: number;
}

/**
 * The cached rows of `ids`, in their order, when every one of them was embedded at the fit
 * (the open pool only shrinks while people label); otherwise undefined.
 */
function cachedRows(fit: FittedEmbedding, ids: readonly number[]): Float32Array | undefined {
  const dim = fit.fitted.dim;
  const out = new Float32Array(ids.length * dim);
  for (let i = 0; i < ids.length; i++) {
    const row = fit.rowOf.get(ids[i] ?? -1);
    if (row === undefined) return undefined;
    out.set(fit.embeddings.subarray(row * dim, (row + 1) * dim), i * dim);
  }
  return out;
}

/**
 * The pool embedding does not change with labels, so a project's fit is kept between its
 * retrains and reused while at most REFIT_NEW_SHARE of the pool is new since; the costly parts
 * (the fit and the neighbour search) then run once per project instead of once per retrain.
 */
export class PoolEmbeddingCache {
  private readonly fits = new Map<number, FittedEmbedding>();
  /** Embedders (backbones) loaded once per process and kept while a project's fit uses them. */
  readonly embedders = new LoadedEmbedders();

  get(projectId: number, key: string): FittedEmbedding | undefined {
    const fit = this.fits.get(projectId);
    return fit?.key === key ? fit : undefined;
  }

  /** A sample's row in the project's fit under `key`, if that fit embedded it. */
  rowOf(projectId: number, key: string, id: number): Float32Array | undefined {
    const fit = this.get(projectId, key);
    const row = fit?.rowOf.get(id);
    if (!fit || row === undefined) return undefined;
    const dim = fit.fitted.dim;
    return fit.embeddings.subarray(row * dim, (row + 1) * dim);
  }

  /** The principal components of the project's fit for `spec`, when its embedder is PCA. */
  pcaBasis(projectId: number, spec: InputSpec): PcaBasis | undefined {
    const fit = this.fits.get(projectId);
    return fit?.key.startsWith(`${inputSpecKey(spec)}|`) ? fit.fitted.pca : undefined;
  }

  /** Keeps a project's fit and frees the backbones no project's fit uses any more. */
  async set(projectId: number, fit: FittedEmbedding): Promise<void> {
    this.fits.set(projectId, fit);
    await this.embedders.retainOnly(new Set([...this.fits.values()].map((f) => f.source)));
  }

  async dispose(): Promise<void> {
    this.fits.clear();
    await this.embedders.dispose();
  }
}

const REFIT_NEW_SHARE = 0.2;

/** What a cached fit is keyed by: input spec and embedder key (either changing refits). */
function fitKey(spec: InputSpec, embedder: PoolEmbedder): string {
  // pcaBasis reads the spec back from the key's first part.
  return `${inputSpecKey(spec)}|${embedder.key}`;
}

/**
 * The pool's rows embedded, aligned with `ids` (the scoring pass's order). Labellers go on
 * labelling between the two passes: a sample labelled meanwhile is not streamed again, and its
 * row is left as a fixed unit vector (it is no longer open, so its priority is never written).
 */
async function projectPool(
  knex: Tx,
  projectId: number,
  spec: InputSpec,
  fitted: FittedEmbedder,
  ids: readonly number[],
  signal?: AbortSignal,
): Promise<Float32Array> {
  const dim = fitted.dim;
  const rowOf = new Map(ids.map((id, i) => [id, i]));
  const out = new Float32Array(ids.length * dim);
  const seen = new Uint8Array(ids.length);
  for await (const page of streamPoolFeatures({ knex, projectId, spec })) {
    signal?.throwIfAborted();
    const embedded = await fitted.embed(page.pixels, page.ids.length);
    page.ids.forEach((id, k) => {
      const row = rowOf.get(id);
      if (row === undefined) return; // imported after the scoring pass: ordered next time
      out.set(embedded.subarray(k * dim, (k + 1) * dim), row * dim);
      seen[row] = 1;
    });
  }
  seen.forEach((s, row) => {
    if (!s) out[row * dim] = 1;
  });
  return out;
}

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)] ?? 1;
}

interface EmbedPoolOptions {
  tf: TensorFlow;
  logger: Logger;
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  /** Which embedder (acquisition settings); PCA when absent. */
  settings?: EmbedderSettings;
  pool: ScoredPool;
  /** Open samples in the project, decoded or not (default: the pool's rows). */
  openSamples?: number;
  labelledPixels: Uint8Array;
  labelledCount: number;
  /** Without one, the embedder is loaded for this call and disposed after it. */
  cache?: PoolEmbeddingCache;
  rng: Rng;
  signal?: AbortSignal;
}

export async function embedPool(o: EmbedPoolOptions): Promise<PoolEmbedding> {
  const settings = o.settings ?? DEFAULT_EMBEDDER_SETTINGS;
  const deps = { tf: o.tf, logger: o.logger };
  const embedder = o.cache
    ? await o.cache.embedders.get(settings, deps)
    : await loadEmbedder(settings, deps);
  try {
    return await embedWith(embedder, embedderSourceKey(settings), o);
  } finally {
    if (!o.cache) await embedder.dispose();
  }
}

async function embedWith(
  embedder: PoolEmbedder,
  source: string,
  o: EmbedPoolOptions,
): Promise<PoolEmbedding> {
  const { tf, knex, projectId, spec, pool, labelledPixels, labelledCount, cache, rng, signal } = o;
  const key = fitKey(spec, embedder);
  const fit = cache?.get(projectId, key);
  const newIds = fit ? pool.ids.filter((id) => !fit.rowOf.has(id)).length : Infinity;
  if (fit && newIds <= REFIT_NEW_SHARE * pool.ids.length) {
    const { fitted } = fit;
    const embeddings =
      cachedRows(fit, pool.ids) ??
      (await projectPool(knex, projectId, spec, fitted, pool.ids, signal));
    return {
      pool: embeddings,
      labelled: await fitted.embed(labelledPixels, labelledCount),
      dim: fitted.dim,
      typicality: Float32Array.from(pool.ids, (id) => {
        const row = fit.rowOf.get(id);
        return row === undefined ? fit.medianTypicality : (fit.typicality[row] ?? 0);
      }),
      explained: fitted.explained ?? null,
      embedder: embedder.key,
      refitted: false,
    };
  }
  const rowLength = featureLength(spec);
  const fromLabelled = Math.min(labelledCount, Math.floor(FIT_SAMPLE / 4));
  const fitRows = pool.sample.n + fromLabelled;
  const fitPixels = new Uint8Array(fitRows * rowLength);
  fitPixels.set(pool.sample.pixels, 0);
  fitPixels.set(labelledPixels.subarray(0, fromLabelled * rowLength), pool.sample.pixels.length);
  const fitted = await embedder.fit({ pixels: fitPixels, n: fitRows }, spec, rng);
  const embeddings = await projectPool(knex, projectId, spec, fitted, pool.ids, signal);
  const typ = typicality(tf, embeddings, fitted.dim, rng, o.openSamples);
  await cache?.set(projectId, {
    key,
    source,
    fitted,
    rowOf: new Map(pool.ids.map((id, i) => [id, i])),
    embeddings,
    typicality: typ,
    medianTypicality: median(typ),
  });
  return {
    pool: embeddings,
    labelled: await fitted.embed(labelledPixels, labelledCount),
    dim: fitted.dim,
    typicality: typ,
    explained: fitted.explained ?? null,
    embedder: embedder.key,
    refitted: true,
  };
}

/**
 * The project's backbone, ready to give the features a head trains and predicts on: each
 * sample's row from the cached pool embedding when it has one (the same function, so the same
 * row), else embedded on demand. `release` disposes the backbone unless the cache keeps it.
 */
export async function openBackboneFeatures(o: {
  tf: TensorFlow;
  logger: Logger;
  projectId: number;
  spec: InputSpec;
  settings: EmbedderSettings;
  cache?: PoolEmbeddingCache;
  rng: Rng;
}): Promise<{ features: BackboneFeatures; release: () => Promise<void> }> {
  const { projectId, spec, settings, cache } = o;
  const deps = { tf: o.tf, logger: o.logger };
  const embedder = cache
    ? await cache.embedders.get(settings, deps)
    : await loadEmbedder(settings, deps);
  const key = fitKey(spec, embedder);
  // A backbone's fit only checks that it can feed the project's images (one blank image).
  const fitted =
    cache?.get(projectId, key)?.fitted ??
    (await embedder.fit({ pixels: new Uint8Array(0), n: 0 }, spec, o.rng));
  const backbone = {
    key: embedder.key,
    settings: {
      embedder: settings.embedder,
      embedder_model: settings.embedder_model,
      embedder_output: settings.embedder_output,
      embedder_input_range: settings.embedder_input_range,
    },
  };
  return {
    features: new BackboneFeatures(backbone, fitted, {
      get: (id) => cache?.rowOf(projectId, key, id),
    }),
    release: () => (cache ? Promise.resolve() : embedder.dispose()),
  };
}
