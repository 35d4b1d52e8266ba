/**
 * Class probabilities and penultimate-layer embeddings of a model, in one forward pass per
 * batch (one model with two outputs, so the shared layers run once).
 */
import type { LayersModel } from '@tensorflow/tfjs';
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

export class Predictor {
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
    const probs = new Float32Array(n * this.numClasses);
    const embeddings = new Float32Array(n * this.embeddingDim);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const [p, e] = this.tf.tidy(() => {
        const xs = pixelsToTensor(this.tf, pixels.subarray(start * len, end * len), end - start);
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
