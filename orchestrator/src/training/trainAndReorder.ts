/**
 * The model branch of a retrain (retrainProject.ts): train and evaluate the project's model (on
 * pixels, beside the unshifted scorer when due, colour pixels behind the pool's half-whitened PCA;
 * or a head on the backbone's features), order
 * the pool with it, write model and order in one transaction, then measure earlier versions
 * again.
 */
import type { DbProjectRow, ScoredSample } from '@al/db';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import { prefersPcaProjection, type InputProjection } from '../model/architecture';
import type { BackboneFeatures } from '../model/backboneHead';
import { halfWhitenedProjection } from '../model/pcaProjection';
import { Predictor } from '../model/predictInBatches';
import { epochsFor } from '../model/trainClassifier';
import type { LabelledData } from './labelledData';
import { orderPool } from './orderPool';
import type { PhaseTimer } from './phaseTimer';
import { openBackboneFeatures } from './poolEmbedding';
import { predictionOf } from './predictionOf';
import { remeasureEarlierModels } from './reevaluateModels';
import type { RetrainOptions, RetrainOutcome } from './retrainProject';
import { trainAndEvaluate, type TrainedModel, type TrainingJob } from './trainAndEvaluate';
import { startUnshiftedScorer, wantsUnshiftedScorer } from './unshiftedScorer';
import { writeQueueOrder } from './writeQueueOrder';

/** What both branches of a retrain share once features and labels are loaded. */
export interface Prepared {
  o: RetrainOptions;
  log: Logger;
  t: PhaseTimer;
  project: DbProjectRow;
  data: LabelledData;
  ordering: Omit<Parameters<typeof orderPool>[0], 'predictor'>;
  decoded: number;
}

export function outcomeOf(
  kind: RetrainOutcome['kind'],
  written: Pick<RetrainOutcome, 'modelId' | 'version' | 'written'>,
  poolSize: number,
  { o, t }: Pick<Prepared, 'o' | 't'>,
): RetrainOutcome {
  return { kind, ...written, poolSize, durationsMs: t.durations, pausedMs: o.pacer?.pausedMs ?? 0 };
}

/** Train, evaluate, order the pool with the model, and write model + order in one transaction. */
export async function trainAndReorder({ o, log, t, project, data, ordering }: Prepared) {
  const job: TrainingJob = {
    tf: o.backend.tf,
    backend: o.backend.name,
    multiLabel: project.multi_label,
    spec: ordering.spec,
    epochs: o.epochs,
    seed: o.seed,
    signal: o.signal,
    pace: o.pacer?.pace,
  };
  const { settings } = ordering;
  const backbone =
    settings.classifier_input === 'backbone'
      ? await openBackboneFeatures({ ...ordering, settings, cache: o.embeddingCache })
      : undefined;
  // Colour pixels train behind the pool's PCA, half-whitened: the fit the cold-start orders left in
  // the cache (after a restart, the first retrain trains the dense network instead).
  const basis =
    !backbone && prefersPcaProjection(job.backend, job.spec)
      ? o.embeddingCache?.pcaBasis(project.id, job.spec)
      : undefined;
  const inputs = {
    features: backbone?.features,
    projection: basis && halfWhitenedProjection(basis),
  };
  try {
    return await trainWith({ o, log, t, project, data, ordering }, job, inputs);
  } finally {
    await backbone?.release();
  }
}

async function trainWith(
  { o, log, t, project, data, ordering }: Omit<Prepared, 'decoded'>,
  job: TrainingJob,
  inputs: { features?: BackboneFeatures; projection?: InputProjection },
) {
  const { features } = inputs;
  const numClasses = project.options.length;
  const n = data.train.sampleIds.length;
  // With a trainer thread the scorer trains beside the model, each thread pacing at half the
  // share a busy machine leaves the trainer. A head has no shifted copies to be unlike.
  const pendingScorer =
    !features && wantsUnshiftedScorer(ordering.settings, n, numClasses)
      ? startUnshiftedScorer({
          ...job,
          epochs: o.epochs ?? epochsFor(n, ordering.spec),
          train: data.train,
          numClasses,
          thread: o.trainerThread,
          busy: o.pacer?.busy,
        })
      : undefined;
  let trained: TrainedModel;
  try {
    const pace = o.trainerThread && pendingScorer ? o.pacer?.sharedBy(2) : o.pacer?.pace;
    trained = await trainAndEvaluate({ ...job, ...inputs, pace, data, labels: project.options });
  } catch (err) {
    await pendingScorer?.cancel();
    throw err;
  }
  let scorerModel: LayersModel | undefined;
  try {
    await t.lap('training');
    if (pendingScorer) {
      scorerModel = await pendingScorer.model();
      // With a thread, only the wait for the scorer once the model is done.
      await t.lap('scorerTraining');
    }
    const scorer = scorerModel && new Predictor(o.backend.tf, scorerModel);
    const order = await orderPool({ ...ordering, predictor: trained.predictor, scorer });
    const { pool } = order;
    const metrics = {
      ...trained.metrics,
      durationsMs: { ...t.durations },
      pausedMs: o.pacer?.pausedMs ?? 0,
      poolSize: pool.ids.length,
      selected: order.selected,
      takenDuringRetrain: order.taken,
      acquisition: ordering.settings.function,
      uncertaintyScoredBy: scorer ? 'unshifted scorer' : 'model',
      uncertaintyStrength: order.uncertaintyStrength,
      diversitySpace: order.diversitySpace,
      agreement: order.agreement,
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
      knex: o.knex,
      projectId: project.id,
      model: {
        trainedOn: n,
        metrics,
        backend: o.backend.name,
        artifacts: trained.artifacts,
      },
      poolSize: pool.ids.length,
      rowsFor,
      beforeWrite: o.beforeWrite,
      signal: o.signal,
    });
    await t.lap('write');
    log.info(
      {
        labelledCount: n,
        accuracy: trained.metrics.accuracy,
        agreement: order.agreement,
        uncertaintyStrength: order.uncertaintyStrength,
        taken: order.taken,
        ...written,
        durationsMs: t.durations,
        pausedMs: o.pacer?.pausedMs ?? 0,
      },
      'model trained and queue reordered',
    );
    // Written by now: measuring earlier versions again never fails the retrain.
    await remeasureEarlierModels({
      tf: o.backend.tf,
      knex: o.knex,
      projectId: project.id,
      spec: ordering.spec,
      labels: project.options,
      multiLabel: project.multi_label,
      heldOut: data.evaluation,
      features,
      logger: log,
      signal: o.signal,
    });
    await t.lap('reevaluation');
    return outcomeOf('model', written, pool.ids.length, { o, t });
  } finally {
    trained.model.dispose();
    if (scorerModel) scorerModel.dispose();
    else await pendingScorer?.cancel();
  }
}
