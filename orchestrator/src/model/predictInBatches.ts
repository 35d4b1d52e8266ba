/**
 * Class probabilities and penultimate-layer embeddings of a model, in one forward pass per
 * batch (one model with two outputs, so the shared layers run once). A model on pixels takes
 * uint8 rows (scaled to [0, 1] here); a head on a backbone takes its feature rows as floats.
 */
import type { LayersModel, Tensor2D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { EMBEDDING_LAYER } from './architecture';
import { pixelsToTensor } from './pixels';

export interface Predictions {
  /** n × numClasses. */
  probs: Float32Array;
  /** n × embeddingDim. */
  embeddings: Float32Array;
  numClasses: number;
  embeddingDim: number;
}

/** What predicts the samples of a project: a model on their pixels or on their features. */
export interface SamplePredictor {
  readonly numClasses: number;
  readonly embeddingDim: number;
  /** Rows of `ids` (n × featureLength uint8 `pixels`, in the same order). */
  predictSamples(ids: readonly number[], pixels: Uint8Array): Promise<Predictions>;
}

export class Predictor implements SamplePredictor {
  private readonly twoHeads: LayersModel;
  readonly numClasses: number;
  readonly embeddingDim: number;

  constructor(
    private readonly tf: TensorFlow,
    model: LayersModel,
  ) {
    const embedding = model.getLayer(EMBEDDING_LAYER).output;
    const output = model.outputs[0];
    if (Array.isArray(embedding) || !output) throw new Error('unexpected model outputs');
    this.twoHeads = tf.model({ inputs: model.inputs, outputs: [output, embedding] });
    this.numClasses = output.shape[1] ?? 0;
    this.embeddingDim = embedding.shape[1] ?? 0;
  }

  /** Predicts n rows of uint8 pixels, `batchSize` rows per forward pass. */
  predict(pixels: Uint8Array, n: number, batchSize = 1_000): Predictions {
    const len = n === 0 ? 0 : pixels.length / n;
    return this.predictInBatches(n, batchSize, (start, end) =>
      pixelsToTensor(this.tf, pixels.subarray(start * len, end * len), end - start),
    );
  }

  /** Predicts n rows of float inputs (a head's feature rows). */
  predictRows(rows: Float32Array, n: number, batchSize = 1_000): Predictions {
    const len = n === 0 ? 0 : rows.length / n;
    return this.predictInBatches(n, batchSize, (start, end) =>
      this.tf.tensor2d(rows.subarray(start * len, end * len), [end - start, len]),
    );
  }

  predictSamples(ids: readonly number[], pixels: Uint8Array): Promise<Predictions> {
    return Promise.resolve(this.predict(pixels, ids.length));
  }

  private predictInBatches(
    n: number,
    batchSize: number,
    inputs: (start: number, end: number) => Tensor2D,
  ): Predictions {
    const probs = new Float32Array(n * this.numClasses);
    const embeddings = new Float32Array(n * this.embeddingDim);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const [p, e] = this.tf.tidy(() => {
        const xs = inputs(start, end);
        const out = this.twoHeads.predict(xs, { batchSize: end - start });
        if (!Array.isArray(out)) throw new Error('expected two outputs');
        return out.map((t) => t.dataSync() as Float32Array);
      });
      if (!p || !e) throw new Error('expected two outputs');
      probs.set(p, start * this.numClasses);
      embeddings.set(e, start * this.embeddingDim);
    }
    return { probs, embeddings, numClasses: this.numClasses, embeddingDim: this.embeddingDim };
  }
}
