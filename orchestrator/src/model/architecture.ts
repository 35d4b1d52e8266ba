/**
 * The classifier. Input is the flat uint8 pixel row scaled to [0, 1], so the dense and the
 * convolutional variant share the feature pipeline, or a backbone's feature row.
 * - dense (default; trains on wasm): 128 relu → dropout → 64 relu (`embedding`) → C
 * - cnn (native backends only: tfjs-backend-wasm has no Conv2DBackpropFilter, so it cannot
 *   train conv layers): two conv/pool blocks → 64 relu (`embedding`) → C
 * - head: the dense layers on a pretrained backbone's feature row instead of the pixels
 *   (acquisition setting `classifier_input: 'backbone'`, backboneHead.ts)
 * Softmax + categorical cross-entropy for one label per image; sigmoid + binary
 * cross-entropy when a project allows several.
 */
import type { TensorFlow } from '../backend/chooseBackend';
import type { BackendName } from '../backend/chooseBackend';
import { featureLength, type InputSpec } from '../features/inputSpec';

export const ARCHITECTURE_NAMES = ['dense', 'cnn', 'head'] as const;
export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];
/** The architectures that learn from pixels. */
export type PixelArchitecture = Exclude<ArchitectureName, 'head'>;

/** Name of the penultimate layer, whose output is the embedding used for diversity. */
export const EMBEDDING_LAYER = 'embedding';
export const EMBEDDING_DIM = 64;

export interface ClassifierShape {
  spec: InputSpec;
  numClasses: number;
  multiLabel: boolean;
  /** Inputs per row: the feature length of `spec` unless the model is a head (its dim). */
  inputLength?: number;
}

/**
 * Glorot-uniform kernels seeded per layer (seed, seed + 1, ...): the same labels and seed give
 * the same starting weights, so two acquisition strategies compared on one seed differ by what
 * they chose, not by their luck at initialisation. Dropout masks stay unseeded on purpose:
 * tfjs reuses a fixed seed for every call, which would drop the same units on every batch.
 */
function seededKernels(tf: TensorFlow, seed: number) {
  let next = seed;
  return () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }) });
}

/** A CNN only where it can train fast: the native TensorFlow backends. */
export function architectureFor(backend: BackendName): PixelArchitecture {
  return backend === 'tensorflow' || backend === 'tensorflow-gpu' ? 'cnn' : 'dense';
}

type Layers = TensorFlow['layers'];

function hiddenLayers(
  layers: Layers,
  architecture: ArchitectureName,
  spec: InputSpec,
  kernel: ReturnType<typeof seededKernels>,
) {
  if (architecture !== 'cnn') {
    return [
      layers.dense({ units: 128, activation: 'relu', ...kernel() }),
      layers.dropout({ rate: 0.2 }),
    ];
  }
  return [
    layers.reshape({ targetShape: [spec.height, spec.width, spec.channels] }),
    layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same', ...kernel() }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', ...kernel() }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.flatten(),
    layers.dropout({ rate: 0.25 }),
  ];
}

export function buildClassifier(
  tf: TensorFlow,
  architecture: ArchitectureName,
  shape: ClassifierShape,
  seed: number,
) {
  const { spec, numClasses, multiLabel } = shape;
  const kernel = seededKernels(tf, seed);
  const model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [shape.inputLength ?? featureLength(spec)] }),
      ...hiddenLayers(tf.layers, architecture, spec, kernel),
      tf.layers.dense({
        units: EMBEDDING_DIM,
        activation: 'relu',
        name: EMBEDDING_LAYER,
        ...kernel(),
      }),
      tf.layers.dense({
        units: numClasses,
        activation: multiLabel ? 'sigmoid' : 'softmax',
        ...kernel(),
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: multiLabel ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}
