/**
 * Streams a project's open pool through a model (or, before there is one, through the
 * cold-start downsampling): per sample its id, class probabilities and an embedding, and with
 * an uncertainty scorer beside the model (unshiftedScorer.ts) the scorer's probabilities (and
 * its embedding instead of the model's). Only
 * one page of pixels is in memory at a time; what accumulates is 2C + 64 floats per sample.
 */
import type { LabelValue, Tx } from '@al/db';
import { downsampledDim, downsamplePixels } from '../features/downsample';
import { randomInt, type Rng } from '../acquisition/rng';
import { featureLength, type InputSpec } from '../features/inputSpec';
import { streamPoolFeatures } from '../features/streamPoolFeatures';
import type { Predictor, SamplePredictor } from '../model/predictInBatches';
import type { Pace } from '../pacing/pacer';
import { FloatPages } from './growableFloats';

/** Rows the pool embedding is fitted on: PCA's components settle well below this. */
export const FIT_SAMPLE = 4_000;

export interface ScoredPool {
  ids: number[];
  /** 1 where the pool row belongs to the held-out share. */
  heldOut: Uint8Array;
  /** The previous model's prediction per row, as stored (null before any model). */
  previous: (LabelValue | null)[];
  /** A uniform random sample of the pool's pixel rows (at most FIT_SAMPLE), to fit the embedding on. */
  sample: { pixels: Uint8Array; n: number };
  /** ids.length × numClasses (empty for cold start). */
  probs: Float32Array;
  /** What uncertainty is scored on: the scorer's probabilities, or `probs` without one. */
  acquisitionProbs: Float32Array;
  /**
   * The embedding layer of the model that scores uncertainty (the scorer, else the model);
   * before any model, downsampled pixels.
   */
  embeddings: Float32Array;
  dim: number;
}

export async function scorePool({
  knex,
  projectId,
  spec,
  predictor,
  scorer,
  rng,
  signal,
  pace,
}: {
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  /** Undefined: cold start, embeddings are downsampled pixels. */
  predictor: SamplePredictor | undefined;
  /** Scores uncertainty instead of `predictor`; ignored without one. */
  scorer?: Predictor;
  rng: Rng;
  signal?: AbortSignal;
  pace?: Pace;
}): Promise<ScoredPool> {
  const ids: number[] = [];
  const heldOut: number[] = [];
  const previous: (LabelValue | null)[] = [];
  const rowLength = featureLength(spec);
  const sampled: Uint8Array[] = [];
  const probs = new FloatPages();
  const scorerProbs = new FloatPages();
  const embeddings = new FloatPages();
  for await (const page of streamPoolFeatures({ knex, projectId, spec })) {
    signal?.throwIfAborted();
    await pace?.();
    page.ids.forEach((id, i) => {
      ids.push(id);
      heldOut.push(page.heldOut[i] ?? 0);
      previous.push(page.predicted[i] ?? null);
      // Reservoir sampling: every row seen so far is in the sample with equal chance.
      const slot = sampled.length < FIT_SAMPLE ? sampled.length : randomInt(rng, ids.length);
      if (slot < FIT_SAMPLE) sampled[slot] = page.pixels.slice(i * rowLength, (i + 1) * rowLength);
    });
    if (predictor) {
      const out = await predictor.predictSamples(page.ids, page.pixels);
      probs.push(out.probs);
      const scored = scorer?.predict(page.pixels, page.ids.length);
      if (scored) scorerProbs.push(scored.probs);
      embeddings.push((scored ?? out).embeddings);
    } else {
      embeddings.push(downsamplePixels(page.pixels, page.ids.length, spec));
    }
  }
  const samplePixels = new Uint8Array(sampled.length * rowLength);
  sampled.forEach((row, i) => {
    samplePixels.set(row, i * rowLength);
  });
  const joinedProbs = probs.join();
  return {
    ids,
    heldOut: Uint8Array.from(heldOut),
    previous,
    sample: { pixels: samplePixels, n: sampled.length },
    probs: joinedProbs,
    acquisitionProbs: scorer ? scorerProbs.join() : joinedProbs,
    embeddings: embeddings.join(),
    dim: predictor ? (scorer ?? predictor).embeddingDim : downsampledDim(spec),
  };
}
