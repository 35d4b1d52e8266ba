/**
 * A classifier head on a pretrained backbone (acquisition setting `classifier_input:
 * 'backbone'`): the dense layers of architecture.ts trained on each image's backbone embedding
 * instead of its pixels. The backbone saw millions of photographs; a head on its features
 * learns a class from a few dozen examples where a network on pixels cannot (CIFAR-10 at 100
 * random labels: 25 % on pixels, 48 % on a COCO detector's MobileNetV3 features).
 * An image's features are the pool embedding's own row (unit length), so an image embedded for
 * the pool is never run through the backbone again for the classifier.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import type { FittedEmbedder } from '../embedding/poolEmbedder';
import type { HeadBackbone } from './modelArtifacts';
import { Predictor, type Predictions, type SamplePredictor } from './predictInBatches';

/**
 * 24k sample-passes within [30, 100] epochs: 100 epochs up to 240 labels, 40 at 600. A head
 * has no augmentation to feed, and more passes than this only overfit its few examples.
 */
export function epochsForHead(n: number): number {
  return Math.min(100, Math.max(30, Math.round(24_000 / Math.max(1, n))));
}

/**
 * Unit-length rows scaled by √dim: each input then has a mean square of 1, the scale the
 * layers' initialisation expects (a unit row of 480 would feed inputs of ~0.05).
 */
export function headInputs(rows: Float32Array, dim: number): Float32Array {
  const scale = Math.sqrt(dim);
  return rows.map((v) => v * scale);
}

/** Feature rows by sample id: a retrain's pool embedding, or a Map that also keeps new ones. */
export interface FeatureRowCache {
  get(id: number): Float32Array | undefined;
  set?(id: number, row: Float32Array): unknown;
}

/** The backbone features of samples: the cached row when there is one, else embedded now. */
export class BackboneFeatures {
  constructor(
    readonly backbone: HeadBackbone,
    private readonly fitted: FittedEmbedder,
    private readonly cache?: FeatureRowCache,
  ) {}

  get dim(): number {
    return this.fitted.dim;
  }

  /** Unit-length feature rows of `ids` (their pixels, n × featureLength, in the same order). */
  async rowsOf(ids: readonly number[], pixels: Uint8Array): Promise<Float32Array> {
    const dim = this.fitted.dim;
    const out = new Float32Array(ids.length * dim);
    const missing: number[] = [];
    ids.forEach((id, i) => {
      const row = this.cache?.get(id);
      if (row) out.set(row, i * dim);
      else missing.push(i);
    });
    if (missing.length === 0) return out;
    const len = ids.length === 0 ? 0 : pixels.length / ids.length;
    const gathered = new Uint8Array(missing.length * len);
    missing.forEach((i, k) => {
      gathered.set(pixels.subarray(i * len, (i + 1) * len), k * len);
    });
    const rows = await this.fitted.embed(gathered, missing.length);
    missing.forEach((i, k) => {
      const row = rows.slice(k * dim, (k + 1) * dim);
      out.set(row, i * dim);
      this.cache?.set?.(ids[i] ?? -1, row);
    });
    return out;
  }
}

/** A head's predictions of samples: their backbone features through the head. */
export class HeadPredictor implements SamplePredictor {
  private readonly predictor: Predictor;

  constructor(
    tf: TensorFlow,
    model: LayersModel,
    private readonly features: BackboneFeatures,
  ) {
    this.predictor = new Predictor(tf, model);
  }

  get numClasses(): number {
    return this.predictor.numClasses;
  }

  get embeddingDim(): number {
    return this.predictor.embeddingDim;
  }

  async predictSamples(ids: readonly number[], pixels: Uint8Array): Promise<Predictions> {
    const rows = await this.features.rowsOf(ids, pixels);
    const dim = this.features.dim;
    return this.predictor.predictRows(headInputs(rows, dim), ids.length);
  }
}
