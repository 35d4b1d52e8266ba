/**
 * Trains on the training share, measures on the held-out share, and serialises the result:
 * everything a `models` row holds except its version. On pixels, or with `features` as a head
 * on the backbone's features (backboneHead.ts).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { BackendName, TensorFlow } from '../backend/chooseBackend';
import type { InputSpec } from '../features/inputSpec';
import type { Pace } from '../pacing/pacer';
import { architectureFor, type InputProjection } from '../model/architecture';
import {
  epochsForHead,
  headInputs,
  HeadPredictor,
  type BackboneFeatures,
} from '../model/backboneHead';
import { evaluatePredictions, type EvaluationMetrics } from '../model/metrics';
import { serializeModel, type ModelArtifactsJson } from '../model/modelArtifacts';
import { Predictor, type SamplePredictor } from '../model/predictInBatches';
import { epochsFor, trainClassifier } from '../model/trainClassifier';
import type { LabelledData } from './labelledData';

/** Below this many held-out labels the accuracy is stored but flagged as noisy. */
const MIN_RELIABLE_EVAL = 30;

/** The warning an accuracy measured on `evaluatedOn` held-out labels carries, if any. */
export function noisyAccuracyWarning(evaluatedOn: number): string | undefined {
  return evaluatedOn < MIN_RELIABLE_EVAL
    ? `only ${evaluatedOn} held-out labelled samples: accuracy is noisy`
    : undefined;
}

export interface TrainedModel {
  model: LayersModel;
  /** The model as it predicts samples (through the backbone for a head). */
  predictor: SamplePredictor;
  metrics: EvaluationMetrics & {
    trainedOn: number;
    epochs: number;
    backend: BackendName;
    architecture: string;
    trainingMs: number;
    evaluationMs: number;
    warnings: string[];
  };
  artifacts: ModelArtifactsJson;
}

/** What every training of a retrain is given, whatever its data. */
export interface TrainingJob {
  tf: TensorFlow;
  backend: BackendName;
  multiLabel: boolean;
  spec: InputSpec;
  /** Default: epochsFor(training labels, spec). */
  epochs?: number;
  /** Seeds weight init and example order (the job's seed). */
  seed: number;
  signal?: AbortSignal;
  pace?: Pace;
}

export async function trainAndEvaluate({
  tf,
  backend,
  data,
  labels,
  multiLabel,
  spec,
  epochs,
  seed,
  signal,
  pace,
  features,
  projection,
}: TrainingJob & {
  data: LabelledData;
  labels: readonly string[];
  /** Train a head on these backbone features instead of a model on the pixels. */
  features?: BackboneFeatures;
  /** Train architecture 'pca' behind this frozen projection of the pixels. */
  projection?: InputProjection;
}): Promise<TrainedModel> {
  const architecture = features ? 'head' : projection ? 'pca' : architectureFor(backend);
  const n = data.train.sampleIds.length;
  const usedEpochs = epochs ?? (features ? epochsForHead(n) : epochsFor(n, spec));
  const started = performance.now();
  // A head learns from the training samples' backbone rows, any other model from their pixels.
  const inputs = features
    ? {
        features: {
          rows: headInputs(
            await features.rowsOf(data.train.sampleIds, data.train.pixels),
            features.dim,
          ),
          dim: features.dim,
        },
      }
    : { pixels: data.train.pixels };
  const model = await trainClassifier({
    tf,
    architecture,
    spec,
    numClasses: labels.length,
    multiLabel,
    ...inputs,
    targets: data.train.targets,
    projection,
    epochs: usedEpochs,
    seed,
    signal,
    pace,
  });
  try {
    const trained = performance.now();
    const evalN = data.evaluation.sampleIds.length;
    const predictor = features ? new HeadPredictor(tf, model, features) : new Predictor(tf, model);
    const { probs } = await predictor.predictSamples(
      data.evaluation.sampleIds,
      data.evaluation.pixels,
    );
    const evaluation = evaluatePredictions({
      probs,
      targets: data.evaluation.targets,
      labels,
      multiLabel,
    });
    const noisy = noisyAccuracyWarning(evalN);
    const warnings: string[] = noisy ? [noisy] : [];
    if (data.missingFeatures > 0) {
      warnings.push(`${data.missingFeatures} labelled samples had no decodable image`);
    }
    const artifacts = await serializeModel(tf, model, {
      architecture,
      inputSpec: spec,
      labels,
      multiLabel,
      backbone: features?.backbone,
    });
    return {
      model,
      predictor,
      artifacts,
      metrics: {
        ...evaluation,
        trainedOn: n,
        epochs: usedEpochs,
        backend,
        architecture,
        trainingMs: Math.round(trained - started),
        evaluationMs: Math.round(performance.now() - trained),
        warnings,
      },
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
