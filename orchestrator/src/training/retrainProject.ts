/**
 * One retrain of one project, start to finish: cache features → read labels → train (or,
 * with too few labels, cold start) → evaluate on the held-out share → score the open pool →
 * acquisition (orderPool: embedding, typicality, uncertainty, held-out share) → one transaction writing the model
 * version, every priority and the NOTIFY. Nothing is written before that transaction, so an
 * abort or crash at any point leaves the queue as it was.
 */
import { getProjectById, type ScoredSample } from '@al/db';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { S3DatasourceOptions } from '@al/media';
import { createRng } from '../acquisition/rng';
import { parseAcquisitionSettings } from '@al/contract';
import type { ChosenBackend } from '../backend/chooseBackend';
import { cacheProjectFeatures } from '../features/cacheFeatures';
import { resolveProjectInputSpec } from '../features/projectInputSpec';
import { SampleReader } from '../features/sampleReader';
import { Predictor } from '../model/predictInBatches';
import { loadLabelledData } from './labelledData';
import { predictionOf } from './predictionOf';
import { orderPool } from './orderPool';
import type { PoolEmbeddingCache } from './poolEmbedding';
import { trainAndEvaluate } from './trainAndEvaluate';
import { writeQueueOrder } from './writeQueueOrder';

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
  /** Test seam, see writeQueueOrder. */
  beforeWrite?: () => Promise<void>;
}

export interface RetrainOutcome {
  kind: 'model' | 'cold-start';
  modelId: number | null;
  version: number | null;
  poolSize: number;
  written: number;
  durationsMs: Record<string, number>;
}

function timer(heartbeat: (() => Promise<void>) | undefined, log: Logger) {
  const durations: Record<string, number> = {};
  let last = performance.now();
  return {
    durations,
    /** Ends a phase: records its duration and beats (a lost job aborts `signal`). */
    async lap(name: string) {
      const now = performance.now();
      durations[name] = Math.round(now - last);
      log.debug({ phase: name, ms: durations[name] }, 'retrain phase done');
      await heartbeat?.();
      last = performance.now();
    },
  };
}

export async function retrainProject(
  projectId: number,
  o: RetrainOptions,
): Promise<RetrainOutcome> {
  const { knex, signal } = o;
  const log = o.logger.child({ projectId });
  const t = timer(o.heartbeat, log);
  const project = await getProjectById({ tx: knex, id: projectId });
  if (!project) throw new Error(`project ${projectId} does not exist`);
  const settings = parseAcquisitionSettings(project.acquisition);
  const reader = new SampleReader(project.source_roots, o.s3);
  const spec = await resolveProjectInputSpec({ knex, project, reader, logger: log });
  const cached = await cacheProjectFeatures({
    knex,
    projectId,
    spec,
    reader,
    logger: log,
    signal,
  });
  await t.lap('features');
  const data = await loadLabelledData({
    knex,
    projectId,
    options: project.options,
    multiLabel: project.multi_label,
    spec,
  });
  await t.lap('loadLabels');
  const rng = createRng(o.seed);
  const labelledCount = data.train.sampleIds.length;

  const ordering = {
    tf: o.backend.tf,
    logger: log,
    knex,
    projectId,
    spec,
    settings,
    numClasses: project.options.length,
    multiLabel: project.multi_label,
    labelled: data.train,
    embeddingCache: o.embeddingCache,
    rng,
    signal,
    lap: (phase: string) => t.lap(phase),
  };

  if (labelledCount < settings.min_labels_for_model) {
    const { pool, priorities } = await orderPool({ ...ordering, predictor: undefined });
    const written = await writeQueueOrder({
      knex,
      projectId,
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
      signal,
    });
    await t.lap('write');
    log.info(
      { labelledCount, decoded: cached.decoded, ...written, durationsMs: t.durations },
      'cold-start order written',
    );
    return { kind: 'cold-start', ...written, poolSize: pool.ids.length, durationsMs: t.durations };
  }

  const trained = await trainAndEvaluate({
    tf: o.backend.tf,
    backend: o.backend.name,
    data,
    labels: project.options,
    multiLabel: project.multi_label,
    spec,
    epochs: o.epochs,
    seed: o.seed,
    signal,
  });
  await t.lap('training');
  try {
    const predictor = new Predictor(o.backend.tf, trained.model);
    const order = await orderPool({ ...ordering, predictor });
    const { pool } = order;
    const metrics = {
      ...trained.metrics,
      durationsMs: { ...t.durations },
      poolSize: pool.ids.length,
      selected: order.selected,
      acquisition: settings.function,
      uncertaintyStrength: order.uncertaintyStrength,
      embeddingExplained: order.embeddingExplained,
      embedder: order.embedder,
    };
    const rowsFor = (start: number, end: number): ScoredSample[] =>
      pool.ids.slice(start, end).map((id, k) => {
        const s = predictionOf(pool.probs, start + k, project.options, project.multi_label);
        return {
          id,
          priority: order.priorities[start + k] ?? 0,
          predictedLabel: s.label,
          predictedConfidence: s.confidence,
        };
      });
    const written = await writeQueueOrder({
      knex,
      projectId,
      model: {
        trainedOn: labelledCount,
        metrics,
        backend: o.backend.name,
        artifacts: trained.artifacts,
      },
      poolSize: pool.ids.length,
      rowsFor,
      beforeWrite: o.beforeWrite,
      signal,
    });
    await t.lap('write');
    log.info(
      { labelledCount, accuracy: trained.metrics.accuracy, ...written, durationsMs: t.durations },
      'model trained and queue reordered',
    );
    return { kind: 'model', ...written, poolSize: pool.ids.length, durationsMs: t.durations };
  } finally {
    trained.model.dispose();
  }
}
