/**
 * A stored model version ready to predict images, wherever it is used outside a retrain (the
 * datapool export, benchmarks): a model on pixels as it is, a head together with the backbone
 * it was trained on, loaded from the settings it stored and refused if the backbone's files
 * are no longer the ones it was trained on.
 */
import { embedderSourceKey, loadEmbedder } from '../embedding/embedderRegistry';
import { EmbedderLoadError, type EmbedderDeps } from '../embedding/poolEmbedder';
import { BackboneFeatures, HeadPredictor, type FeatureRowCache } from './backboneHead';
import { loadModel, type ModelMeta } from './modelArtifacts';
import { Predictor, type SamplePredictor } from './predictInBatches';

export interface StoredPredictor {
  predictor: SamplePredictor;
  meta: ModelMeta;
  dispose(): Promise<void>;
}

export async function loadStoredPredictor(
  row: { artifacts: unknown },
  deps: EmbedderDeps,
  /** A head's features by sample id, kept across loads (e.g. per backbone key). */
  featureCache?: FeatureRowCache,
): Promise<StoredPredictor> {
  const { tf } = deps;
  const { model, meta } = await loadModel(tf, row);
  const { backbone } = meta;
  if (!backbone) {
    return {
      predictor: new Predictor(tf, model),
      meta,
      dispose: () => {
        model.dispose();
        return Promise.resolve();
      },
    };
  }
  try {
    const embedder = await loadEmbedder(backbone.settings, deps);
    try {
      if (embedder.key !== backbone.key) {
        throw new EmbedderLoadError(
          `the backbone at ${embedderSourceKey(backbone.settings)} is not the one this head was trained on (${embedder.key}, trained on ${backbone.key})`,
        );
      }
      const empty = { pixels: new Uint8Array(0), n: 0 };
      const fitted = await embedder.fit(empty, meta.inputSpec, () => 0);
      const features = new BackboneFeatures(backbone, fitted, featureCache);
      return {
        predictor: new HeadPredictor(tf, model, features),
        meta,
        dispose: async () => {
          model.dispose();
          await embedder.dispose();
        },
      };
    } catch (err) {
      await embedder.dispose();
      throw err;
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
}
