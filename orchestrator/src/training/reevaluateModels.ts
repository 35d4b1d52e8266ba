/**
 * Earlier model versions measured again on the held-out labels given since they were trained.
 * Held-out images are never trained on by any version and are labelled in random order, so a
 * label that arrived after a version was trained is as fair a test of it as one before: the
 * figures stay unbiased and their intervals narrow. The first model of a project is measured
 * on a handful of labels (5 of its first 50); once the share has grown, every recent version
 * is measured on the same labels, so the learning curve compares like with like.
 */
import { parseModelMetrics } from '@al/contract';
import { listModelsToReevaluate, patchModelMetrics, type Tx } from '@al/db';
import type { Logger } from 'pino';
import type { TensorFlow } from '../backend/chooseBackend';
import { inputSpecKey, type InputSpec } from '../features/inputSpec';
import { evaluatePredictions } from '../model/metrics';
import { HeadPredictor, type BackboneFeatures } from '../model/backboneHead';
import { loadModel, type LoadedModel } from '../model/modelArtifacts';
import { Predictor } from '../model/predictInBatches';
import type { LabelledSet } from './labelledData';
import { noisyAccuracyWarning } from './trainAndEvaluate';

/**
 * A version is measured again once the held-out share is this much larger than the one it was
 * measured on, so each version is loaded a few times over a project's life, not every retrain.
 */
const GROWTH = 1.25;
/** Versions measured again per retrain (newest first): each one loads its weights. */
const PER_RETRAIN = 3;

export interface ReevaluationTarget {
  tf: TensorFlow;
  knex: Tx;
  projectId: number;
  spec: InputSpec;
  /** The project's options, in the order of `heldOut.targets`. */
  labels: readonly string[];
  multiLabel: boolean;
  /** Every held-out labelled sample now. */
  heldOut: LabelledSet;
  /** The project's backbone features, for versions that are heads on it. */
  features?: BackboneFeatures;
  logger: Logger;
  signal?: AbortSignal;
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

/** Keeps the stored warnings, with the noisy-accuracy one as it now reads. */
function rewarn(stored: readonly string[], before: number, after: number): string[] {
  const old = noisyAccuracyWarning(before);
  const kept = stored.filter((w) => w !== old);
  const now = noisyAccuracyWarning(after);
  return now ? [now, ...kept] : kept;
}

/** A version as it predicts: on pixels, or as a head on the project's backbone (if still it). */
function predictorOf(o: ReevaluationTarget, { model, meta }: LoadedModel) {
  if (!meta.backbone) return new Predictor(o.tf, model);
  const { features } = o;
  return features?.backbone.key === meta.backbone.key
    ? new HeadPredictor(o.tf, model, features)
    : undefined;
}

/** Measures due versions again and stores their new figures; returns how many it measured. */
export async function reevaluateModels(o: ReevaluationTarget): Promise<number> {
  const n = o.heldOut.sampleIds.length;
  if (n === 0) return 0;
  const due = await listModelsToReevaluate({
    tx: o.knex,
    projectId: o.projectId,
    minEvaluatedOn: Math.floor(n / GROWTH),
    limit: PER_RETRAIN,
  });
  let measured = 0;
  // Its figures stay as first measured, and it is not tried again.
  const giveUp = (modelId: number, reason: string) =>
    patchModelMetrics({ tx: o.knex, modelId, patch: { reevaluationFailed: reason } });
  for (const row of due) {
    o.signal?.throwIfAborted();
    let loaded;
    let stored;
    try {
      stored = parseModelMetrics(row.metrics);
      loaded = await loadModel(o.tf, row);
    } catch (err) {
      await giveUp(row.id, `its stored model does not load: ${String(err)}`.slice(0, 300));
      continue;
    }
    const { model, meta } = loaded;
    try {
      const fits =
        inputSpecKey(meta.inputSpec) === inputSpecKey(o.spec) &&
        sameLabels(meta.labels, o.labels) &&
        meta.multiLabel === o.multiLabel;
      if (!fits) {
        await giveUp(row.id, 'the input spec or the labels changed since it was trained');
        continue;
      }
      const predictor = predictorOf(o, loaded);
      if (!predictor) {
        await giveUp(row.id, 'the project embeds with another backbone than it was trained on');
        continue;
      }
      const { probs } = await predictor.predictSamples(o.heldOut.sampleIds, o.heldOut.pixels);
      const evaluation = evaluatePredictions({
        probs,
        targets: o.heldOut.targets,
        labels: o.labels,
        multiLabel: o.multiLabel,
      });
      const before = stored.evaluatedOn ?? 0;
      await patchModelMetrics({
        tx: o.knex,
        modelId: row.id,
        patch: {
          ...evaluation,
          warnings: rewarn(stored.warnings ?? [], before, n),
          reevaluatedAt: new Date().toISOString(),
        },
      });
      measured++;
      o.logger.debug(
        { version: row.version, evaluatedOn: n, before, accuracy: evaluation.accuracy },
        'model measured again on the grown held-out share',
      );
    } finally {
      model.dispose();
    }
  }
  return measured;
}

/** reevaluateModels for a retrain whose model is written: failures are logged, not thrown. */
export async function remeasureEarlierModels(o: ReevaluationTarget): Promise<void> {
  try {
    await reevaluateModels(o);
  } catch (err) {
    o.logger.warn({ err }, 'could not measure earlier models again on the held-out share');
  }
}
