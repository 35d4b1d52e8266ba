/**
 * The classifier. Input is always the flat uint8 pixel row scaled to [0, 1], so the dense and
 * the convolutional variant share the feature pipeline.
 * - dense (default; trains on wasm): 128 relu → dropout → 64 relu (`embedding`) → C
 * - cnn (native backends only: tfjs-backend-wasm has no Conv2DBackpropFilter, so it cannot
 *   train conv layers): two conv/pool blocks → 64 relu (`embedding`) → C
 * Softmax + categorical cross-entropy for one label per image; sigmoid + binary
 * cross-entropy when a project allows several.
 */
import type { TensorFlow } from '../backend/chooseBackend';
import type { BackendName } from '../backend/chooseBackend';
import { featureLength, type InputSpec } from '../features/inputSpec';

export type ArchitectureName = 'dense' | 'cnn';

/** Name of the penultimate layer, whose output is the embedding used for diversity. */
export const EMBEDDING_LAYER = 'embedding';
export const EMBEDDING_DIM = 64;

export interface ClassifierShape {
  spec: InputSpec;
  numClasses: number;
  multiLabel: boolean;
}

/** A CNN only where it can train fast: the native TensorFlow backends. */
export function architectureFor(backend: BackendName): ArchitectureName {
  return backend === 'tensorflow' || backend === 'tensorflow-gpu' ? 'cnn' : 'dense';
}

type Layers = TensorFlow['layers'];

function hiddenLayers(layers: Layers, architecture: ArchitectureName, spec: InputSpec) {
  if (architecture === 'dense') {
    return [layers.dense({ units: 128, activation: 'relu' }), layers.dropout({ rate: 0.2 })];
  }
  return [
    layers.reshape({ targetShape: [spec.height, spec.width, spec.channels] }),
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: 0.25 }),
  ];
}

export function buildClassifier(
  tf: TensorFlow,
  architecture: ArchitectureName,
  shape: ClassifierShape,
) {
  const { spec, numClasses, multiLabel } = shape;
  const model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [featureLength(spec)] }),
      ...hiddenLayers(tf.layers, architecture, spec),
      tf.layers.dense({ units: EMBEDDING_DIM, activation: 'relu', name: EMBEDDING_LAYER }),
      tf.layers.dense({ units: numClasses, activation: multiLabel ? 'sigmoid' : 'softmax' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: multiLabel ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}
