/**
 * The classifier. Input is the flat uint8 pixel row scaled to [0, 1], so the dense and the
 * convolutional variant share the feature pipeline, or a backbone's feature row.
 * - dense (default; trains on wasm): 128 relu → dropout → 64 relu (`embedding`) → C
 * - cnn (native backends only: tfjs-backend-wasm has no Conv2DBackpropFilter, so it cannot
 *   train conv layers): two conv/pool blocks → 64 relu (`embedding`) → C
 * - head: the dense layers on a pretrained backbone's feature row instead of the pixels
 *   (acquisition setting `classifier_input: 'backbone'`, backboneHead.ts)
 * - pca: the dense layers behind a frozen linear layer that projects the pixels on the pool's
 *   principal components, half-whitened (pcaProjection.ts): still a model on pixels, so it stores,
 *   loads and predicts like dense
 * Softmax + categorical cross-entropy for one label per image; sigmoid + binary
 * cross-entropy when a project allows several.
 */
import type { TensorFlow } from '../backend/chooseBackend';
import type { BackendName } from '../backend/chooseBackend';
import { featureLength, type InputSpec } from '../features/inputSpec';

export const ARCHITECTURE_NAMES = ['dense', 'cnn', 'head', 'pca'] as const;
export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

/** Name of the penultimate layer, whose output is the embedding used for diversity. */
export const EMBEDDING_LAYER = 'embedding';
export const EMBEDDING_DIM = 64;
/** Name of architecture 'pca''s frozen projection layer. */
const PROJECTION_LAYER = 'pca_projection';

export interface ClassifierShape {
  spec: InputSpec;
  numClasses: number;
  multiLabel: boolean;
  /** Inputs per row: the feature length of `spec` unless the model is a head (its dim). */
  inputLength?: number;
  /** The frozen first layer of architecture 'pca'. */
  projection?: InputProjection;
}

/** A fixed linear map of the input row: inputLength × units kernel (row-major) and bias. */
export interface InputProjection {
  units: number;
  kernel: Float32Array;
  bias: Float32Array;
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
export function architectureFor(backend: BackendName): 'dense' | 'cnn' {
  return backend === 'tensorflow' || backend === 'tensorflow-gpu' ? 'cnn' : 'dense';
}

/**
 * Where the dense network would learn from colour pixels, architecture 'pca' learns more from
 * few labels (colour and brightness dominate the raw pixels; half-whitened, they no longer drown
 * the rest); on grey images the dense network learns more (npm run bench:architectures).
 */
export function prefersPcaProjection(backend: BackendName, spec: InputSpec): boolean {
  return architectureFor(backend) === 'dense' && spec.channels === 3;
}

type Layers = TensorFlow['layers'];

function hiddenLayers(
  layers: Layers,
  architecture: ArchitectureName,
  shape: ClassifierShape,
  kernel: ReturnType<typeof seededKernels>,
) {
  const { spec } = shape;
  if (architecture === 'pca') {
    const { projection } = shape;
    if (!projection) throw new Error("architecture 'pca' needs its projection");
    return [
      layers.dense({ units: projection.units, trainable: false, name: PROJECTION_LAYER }),
      layers.dense({ units: 128, activation: 'relu', ...kernel() }),
      layers.dropout({ rate: 0.2 }),
    ];
  }
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
  const { numClasses, multiLabel, projection } = shape;
  const kernel = seededKernels(tf, seed);
  const model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [shape.inputLength ?? featureLength(shape.spec)] }),
      ...hiddenLayers(tf.layers, architecture, shape, kernel),
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
  if (architecture === 'pca' && projection) {
    const inputs = shape.inputLength ?? featureLength(shape.spec);
    const layer = model.getLayer(PROJECTION_LAYER);
    // setWeights copies into the layer's variables: the tensors given are freed here.
    tf.tidy(() => {
      layer.setWeights([
        tf.tensor2d(projection.kernel, [inputs, projection.units]),
        tf.tensor1d(projection.bias),
      ]);
    });
  }
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: multiLabel ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
  return model;
}
