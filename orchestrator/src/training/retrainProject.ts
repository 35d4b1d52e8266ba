/**
 * One retrain of one project, start to finish: cache features → read labels → train
 * (trainAndReorder.ts: on the pixels, or a head on the backbone's features; with too few
 * labels, cold start instead) → evaluate on the held-out share → train the uncertainty
 * scorer (unshiftedScorer.ts) when due → score the open pool → acquisition (orderPool:
 * embedding, typicality, uncertainty, held-out share) → one transaction writing the model
 * version, every priority and the NOTIFY → earlier versions measured again on the grown
 * held-out share (reevaluateModels.ts). A fresh import's first retrain also writes
 * embedding-only orders before that (its decoded queue head, then the pool each time its
 * decoded part has doubled, then all of it: followingPool.ts), each in its own transaction;
 * an abort or crash leaves the queue at the last order written.
 */
import { getProjectById, hasCompletedRetrain, type DbProjectRow } from '@al/db';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { S3DatasourceOptions } from '@al/media';
import { createRng } from '../acquisition/rng';
import { parseAcquisitionSettings, type AcquisitionSettings } from '@al/contract';
import type { InputSpec } from '../features/inputSpec';
import type { ChosenBackend } from '../backend/chooseBackend';
import type { Pacer } from '../pacing/pacer';
import { cacheProjectFeatures, cacheQueueHeadFeatures } from '../features/cacheFeatures';
import { resolveProjectInputSpec } from '../features/projectInputSpec';
import { SampleReader } from '../features/sampleReader';
import { loadLabelledData } from './labelledData';
import { orderPool } from './orderPool';
import type { PoolEmbeddingCache } from './poolEmbedding';
import { followingPool } from './followingPool';
import type { TrainerThread } from './trainerThread';
import { outcomeOf, trainAndReorder, type Prepared } from './trainAndReorder';
import { writeQueueOrder } from './writeQueueOrder';
import { phaseTimer } from './phaseTimer';

/**
 * Open samples a fresh import's first, quick order is computed from: about a second of
 * decoding, and enough candidates for the first picks to be typical and spread.
 */
const QUICK_ORDER_SAMPLES = 1_000;

export interface RetrainOptions {
  knex: Knex;
  backend: ChosenBackend;
  logger: Logger;
  /** How samples in S3 are read (see SampleReader). */
  s3?: S3DatasourceOptions;
  /** Seeds every random choice of this run (shuffle_prop, random acquisition). */
  seed: number;
  signal?: AbortSignal;
  /** Overrides the epoch heuristic (tests keep it small). */
  epochs?: number;
  /**
   * Called between phases (and awaited); the job loop renews the job's heartbeat there. It
   * also throws through `signal` when the job turned out to be no longer ours.
   */
  heartbeat?: () => Promise<void>;
  /** Keeps each project's pool embedding between retrains (the job loop holds one). */
  embeddingCache?: PoolEmbeddingCache;
  /** Paces training batches and pool pages while labellers are busy (pacing/pacer.ts). */
  pacer?: Pacer;
  /** Test seam, see writeQueueOrder. */
  beforeWrite?: () => Promise<void>;
  /** How many samples a fresh import's quick first order covers (default 1,000). */
  quickOrderSamples?: number;
  /** Trains the unshifted scorer beside the project's model (trainerThread.ts). */
  trainerThread?: TrainerThread;
}

export interface RetrainOutcome {
  kind: 'model' | 'cold-start';
  modelId: number | null;
  version: number | null;
  poolSize: number;
  written: number;
  durationsMs: Record<string, number>;
  /** Of the duration, time paused for busy labellers. */
  pausedMs: number;
}

export async function retrainProject(
  projectId: number,
  o: RetrainOptions,
): Promise<RetrainOutcome> {
  const { knex, signal } = o;
  const log = o.logger.child({ projectId });
  const t = phaseTimer(o.heartbeat, log);
  const project = await getProjectById({ tx: knex, id: projectId });
  if (!project) throw new Error(`project ${projectId} does not exist`);
  const settings = parseAcquisitionSettings(project.acquisition);
  const reader = new SampleReader(project.source_roots, o.s3);
  const spec = await resolveProjectInputSpec({ knex, project, reader, logger: log });
  const target = { knex, projectId, spec, reader, logger: log, signal };
  const head = await cacheQueueHeadFeatures(target, o.quickOrderSamples ?? QUICK_ORDER_SAMPLES);
  const quick =
    head.more || (head.decoded > 0 && !(await hasCompletedRetrain({ tx: knex, projectId })));
  const coldStartOrder = async (decoded: number) => {
    const data = await loadProjectLabels(knex, project, spec);
    return writeColdStartOrder(prepare({ o, log, t, project, data, settings, spec }, { decoded }));
  };
  let following: Awaited<ReturnType<typeof followingPool>>;
  if (quick) {
    // A fresh import (or one still running: its first retrain can start before the head is
    // full): order the head of the queue from the embedding alone before decoding the rest
    // (and training, if labels came meanwhile), so labellers who start right away get chosen
    // images within seconds instead of import order.
    await t.lap('headFeatures');
    const { poolSize } = await coldStartOrder(head.decoded);
    following = await followingPool(knex, projectId, poolSize, coldStartOrder);
  }
  const cached = await cacheProjectFeatures(target, following?.afterPage);
  const unordered = following ? cached.decoded - following.orderedAt() : 0;
  await t.lap('features');
  const data = await loadProjectLabels(knex, project, spec);
  await t.lap('loadLabels');
  const prepared = prepare({ o, log, t, project, data, settings, spec }, cached);
  if (data.train.sampleIds.length < settings.min_labels_for_model) {
    return writeColdStartOrder(prepared);
  }
  // The whole pool by embedding before training: labellers draw from all of it meanwhile,
  // and its embedding fit is cached for the model's order.
  if (unordered > 0) await writeColdStartOrder(prepared);
  return trainAndReorder(prepared);
}

function loadProjectLabels(knex: Knex, project: DbProjectRow, spec: InputSpec) {
  return loadLabelledData({
    knex,
    projectId: project.id,
    options: project.options,
    multiLabel: project.multi_label,
    spec,
  });
}

function prepare(
  p: Omit<Prepared, 'ordering' | 'decoded'> & { settings: AcquisitionSettings; spec: InputSpec },
  cached: { decoded: number },
): Prepared {
  const { o, log, t, project, data, settings, spec } = p;
  return {
    o,
    log,
    t,
    project,
    data,
    decoded: cached.decoded,
    ordering: {
      tf: o.backend.tf,
      logger: log,
      knex: o.knex,
      projectId: project.id,
      spec,
      settings,
      labels: project.options,
      multiLabel: project.multi_label,
      labelled: data.train,
      embeddingCache: o.embeddingCache,
      rng: createRng(o.seed),
      signal: o.signal,
      pace: o.pacer?.pace,
      lap: (phase: string) => t.lap(phase),
    },
  };
}

/** Too few labels for a model: the order comes from the pool embedding alone. */
async function writeColdStartOrder({ o, log, t, data, ordering, decoded }: Prepared) {
  const { pool, priorities } = await orderPool({ ...ordering, predictor: undefined });
  const written = await writeQueueOrder({
    knex: o.knex,
    projectId: ordering.projectId,
    model: undefined,
    poolSize: pool.ids.length,
    rowsFor: (start, end) =>
      pool.ids.slice(start, end).map((id, k) => ({
        id,
        priority: priorities[start + k] ?? 0,
        predictedLabel: null,
        predictedConfidence: null,
      })),
    beforeWrite: o.beforeWrite,
    signal: o.signal,
  });
  await t.lap('write');
  log.info(
    {
      labelledCount: data.train.sampleIds.length,
      decoded,
      ...written,
      durationsMs: t.durations,
      pausedMs: o.pacer?.pausedMs ?? 0,
    },
    'cold-start order written',
  );
  return outcomeOf('cold-start', written, pool.ids.length, { o, t });
}
