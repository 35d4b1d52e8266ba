/**
 * Streams a project's open pool through a model (or, before there is one, through the
 * cold-start downsampling): per sample its id, class probabilities and an embedding. Only one
 * page of pixels is in memory at a time; what accumulates is C + 64 floats per sample.
 */
import type { Tx } from '@al/db';
import { downsampledDim, downsamplePixels } from '../features/downsample';
import type { InputSpec } from '../features/inputSpec';
import { streamPoolFeatures } from '../features/streamPoolFeatures';
import type { Predictor } from '../model/predictInBatches';
import { FloatPages } from './growableFloats';

export interface ScoredPool {
  ids: number[];
  /** ids.length × numClasses (empty for cold start). */
  probs: Float32Array;
  embeddings: Float32Array;
  dim: number;
}

export async function scorePool({
  knex,
  projectId,
  spec,
  predictor,
  signal,
}: {
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  /** Undefined: cold start, embeddings are downsampled pixels. */
  predictor: Predictor | undefined;
  signal?: AbortSignal;
}): Promise<ScoredPool> {
  const ids: number[] = [];
  const probs = new FloatPages();
  const embeddings = new FloatPages();
  for await (const page of streamPoolFeatures({ knex, projectId, spec })) {
    signal?.throwIfAborted();
    for (const id of page.ids) ids.push(id);
    if (predictor) {
      const out = predictor.predict(page.pixels, page.ids.length);
      probs.push(out.probs);
      embeddings.push(out.embeddings);
    } else {
      embeddings.push(downsamplePixels(page.pixels, page.ids.length, spec));
    }
  }
  return {
    ids,
    probs: probs.join(),
    embeddings: embeddings.join(),
    dim: predictor ? predictor.embeddingDim : downsampledDim(spec),
  };
}
