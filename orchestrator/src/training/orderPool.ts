/**
 * The queue order of one retrain: the open pool scored (by the model and its uncertainty
 * scorer, when there are), embedded (poolEmbedding.ts), the training rows ordered by acquisition
 * (planQueueOrder, k-center on the embedding or, once uncertainty counts, on the scoring model's
 * layer) and the held-out rows interleaved at their steady share in their own random order.
 */
import type { AcquisitionSettings, DiversitySpace } from '@al/contract';
import { countOpenSamples, listTakenSampleFeatures, type Tx } from '@al/db';
import type { Logger } from 'pino';
import { interleaveHeldOut } from '../acquisition/heldOutInterleave';
import { planQueueOrder } from '../acquisition/planQueueOrder';
import type { Rng } from '../acquisition/rng';
import type { TensorFlow } from '../backend/chooseBackend';
import { featureLength, inputSpecKey, type InputSpec } from '../features/inputSpec';
import type { Pace } from '../pacing/pacer';
import type { Predictor, SamplePredictor } from '../model/predictInBatches';
import type { LabelledSet } from './labelledData';
import { agreementWithPrevious } from './modelAgreement';
import { embedPool, type PoolEmbeddingCache } from './poolEmbedding';
import { scorePool, type ScoredPool } from './scorePool';

export interface PoolOrder {
  pool: ScoredPool;
  priorities: Float64Array;
  /** How many training rows selection placed at the head. */
  selected: number;
  /** Training samples taken (labelled, leased) since the labels were read: covered too. */
  taken: number;
  /** Share of pixel variance the pool embedding holds (PCA; null for a backbone). */
  embeddingExplained: number | null;
  /** The pool embedder's key: name, version, model digest. */
  embedder: string;
  /** Exponent uncertainty had in the weights (0: typical picks only). */
  uncertaintyStrength: number;
  /** Where k-center measured distance: the pool embedding or the scoring model's layer. */
  diversitySpace: DiversitySpace;
  /** Share of the pool where this model predicts what the previous one did (unknown: null). */
  agreement: number | null;
}

/**
 * The labelled pixels plus those of the samples labellers took since the labels were read: while
 * a crowd labels during training, the new order must spread out from what they took meanwhile
 * too, or its head repeats the neighbourhoods of the previous order's head.
 */
async function coveredPixels(
  knex: Tx,
  projectId: number,
  spec: InputSpec,
  labelled: LabelledSet,
): Promise<{ ids: number[]; pixels: Uint8Array; n: number; taken: number }> {
  const taken = await listTakenSampleFeatures({
    tx: knex,
    projectId,
    spec: inputSpecKey(spec),
    exceptIds: labelled.sampleIds,
  });
  const n = labelled.sampleIds.length;
  if (taken.length === 0) return { ids: labelled.sampleIds, pixels: labelled.pixels, n, taken: 0 };
  const len = featureLength(spec);
  const pixels = new Uint8Array((n + taken.length) * len);
  pixels.set(labelled.pixels.subarray(0, n * len), 0);
  taken.forEach((row, i) => {
    pixels.set(row.data.subarray(0, len), (n + i) * len);
  });
  const ids = [...labelled.sampleIds, ...taken.map((row) => row.id)];
  return { ids, pixels, n: n + taken.length, taken: taken.length };
}

function gather(source: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    out.set(source.subarray(row * width, (row + 1) * width), r * width);
  });
  return out;
}

export async function orderPool(o: {
  tf: TensorFlow;
  logger: Logger;
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  settings: AcquisitionSettings;
  /** The project's options, in output order. */
  labels: readonly string[];
  multiLabel: boolean;
  labelled: LabelledSet;
  predictor: SamplePredictor | undefined;
  /** Scores uncertainty instead of `predictor` (unshiftedScorer.ts). */
  scorer?: Predictor;
  embeddingCache?: PoolEmbeddingCache;
  rng: Rng;
  signal?: AbortSignal;
  pace?: Pace;
  lap: (phase: string) => Promise<void>;
}): Promise<PoolOrder> {
  const { tf, knex, projectId, spec, settings, labels, labelled, rng, signal } = o;
  const numClasses = labels.length;
  const labelledCount = labelled.sampleIds.length;
  const pool = await scorePool({
    knex,
    projectId,
    spec,
    predictor: o.predictor,
    scorer: o.scorer,
    rng,
    signal,
    pace: o.pace,
  });
  await o.lap('scoring');
  const covered = await coveredPixels(knex, projectId, spec, labelled);
  const embedding = await embedPool({
    tf,
    logger: o.logger,
    knex,
    projectId,
    spec,
    settings,
    pool,
    openSamples: await countOpenSamples({ tx: knex, projectId }),
    labelledPixels: covered.pixels,
    labelledCount: covered.n,
    cache: o.embeddingCache,
    rng,
    signal,
  });
  await o.lap(embedding.refitted ? 'embedding' : 'embeddingCached');
  const trainRows: number[] = [];
  pool.heldOut.forEach((h, i) => {
    if (!h) trainRows.push(i);
  });
  const labelledCounts = new Float64Array(numClasses);
  labelled.targets.forEach((v, i) => {
    labelledCounts[i % numClasses] = (labelledCounts[i % numClasses] ?? 0) + v;
  });
  const agreement = o.predictor
    ? agreementWithPrevious({
        probs: pool.probs,
        previous: pool.previous,
        labels,
        multiLabel: o.multiLabel,
      })
    : undefined;
  const scoring = o.scorer ?? o.predictor;
  const modelSpace = scoring && {
    embeddings: gather(pool.embeddings, pool.dim, trainRows),
    labelledEmbeddings: (await scoring.predictSamples(covered.ids, covered.pixels)).embeddings,
    dim: pool.dim,
  };
  const order = planQueueOrder({
    settings: { ...settings, n_samples: Math.min(settings.n_samples, trainRows.length) },
    probs: o.predictor ? gather(pool.acquisitionProbs, numClasses, trainRows) : undefined,
    numClasses,
    multiLabel: o.multiLabel,
    labelledCount,
    agreement,
    typicality: gather(embedding.typicality, 1, trainRows),
    embeddings: gather(embedding.pool, embedding.dim, trainRows),
    labelledEmbeddings: embedding.labelled,
    labelledCounts,
    dim: embedding.dim,
    modelSpace: modelSpace && (() => modelSpace),
    rng,
  });
  const trainPriorities = new Float64Array(pool.ids.length);
  trainRows.forEach((row, r) => (trainPriorities[row] = order.priorities[r] ?? 0));
  const heldOutCount = pool.ids.length - trainRows.length;
  const priorities = interleaveHeldOut({
    ids: pool.ids,
    heldOut: pool.heldOut,
    priorities: trainPriorities,
    share: pool.ids.length === 0 ? 0 : heldOutCount / pool.ids.length,
  });
  await o.lap('selection');
  return {
    pool,
    priorities,
    selected: order.selected.length,
    taken: covered.taken,
    embeddingExplained: embedding.explained,
    embedder: embedding.embedder,
    uncertaintyStrength: order.uncertaintyStrength,
    diversitySpace: order.diversitySpace,
    agreement: agreement ?? null,
  };
}
