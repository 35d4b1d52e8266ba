/**
 * Tiny TF.js backbones that tests build and save themselves (nothing can be downloaded here):
 * a layers model saved the way tfjs saves one (model.json + weights.bin through
 * tf.io.withSaveHandler), and a graph model written as the converter writes one (a GraphDef
 * in JSON plus a weights manifest; there is no converter without Python, so its few nodes are
 * spelled out here and loaded by the real tf.loadGraphModel).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { createRng } from '../../acquisition/rng';
import type { TensorFlow } from '../../backend/chooseBackend';

/** Saves a layers model into `folder` as model.json + weights.bin. */
export async function saveLayersModel(
  tf: TensorFlow,
  model: LayersModel,
  folder: string,
): Promise<void> {
  await mkdir(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ?? new ArrayBuffer(0);
      const bytes = Buffer.concat(
        (Array.isArray(weights) ? weights : [weights]).map((b) => new Uint8Array(b)),
      );
      const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      // What tf.io.http's save (getModelJSONForModelArtifacts) writes for a layers model.
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: manifest,
      };
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
      await writeFile(path.join(folder, 'weights.bin'), bytes);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/**
 * height × width × channels → conv (4 filters) → `pool` (global average) → `features`
 * (dense 8, tanh) → `head` (dense 4): seeded weights, so every build is the same model.
 */
export function tinyLayersModel(
  tf: TensorFlow,
  o: { height: number; width: number; channels: number; seed: number },
): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: o.seed + k });
  const input = tf.input({ shape: [o.height, o.width, o.channels] });
  const conv = tf.layers
    .conv2d({
      name: 'conv',
      filters: 4,
      kernelSize: 3,
      activation: 'tanh',
      kernelInitializer: init(1),
    })
    .apply(input);
  const pool = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(conv);
  const features = tf.layers
    .dense({ name: 'features', units: 8, activation: 'tanh', kernelInitializer: init(2) })
    .apply(pool);
  const head = tf.layers
    .dense({ name: 'head', units: 4, kernelInitializer: init(3) })
    .apply(features);
  return tf.model({ inputs: input, outputs: head as ReturnType<typeof tf.input> });
}

const base64 = (s: string) => Buffer.from(s).toString('base64');
const dims = (shape: readonly number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const FLOAT = { type: 'DT_FLOAT' };

function constNode(name: string, dtype: string, shape: readonly number[]) {
  return {
    name,
    op: 'Const',
    attr: { value: { tensor: { dtype, tensorShape: dims(shape) } }, dtype: { type: dtype } },
  };
}

/**
 * A graph model: `input` [-1, size, size, 3] → `conv` (Conv2D 3×3, `filters` filters, SAME) →
 * `tanh` → `embedding` (Mean over height and width). Written to `folder`.
 */
export async function writeTinyGraphModel(
  folder: string,
  o: { size: number; filters: number; seed: number },
): Promise<void> {
  const filterShape = [3, 3, 3, o.filters];
  const rng = createRng(o.seed);
  const filter = Float32Array.from({ length: 27 * o.filters }, () => (rng() - 0.5) * 0.6);
  const axes = Int32Array.from([1, 2]);
  const ones = { list: { i: ['1', '1', '1', '1'] } };
  const modelJson = {
    format: 'graph-model',
    generatedBy: 'orchestrator test (hand-written GraphDef)',
    convertedBy: null,
    modelTopology: {
      node: [
        {
          name: 'input',
          op: 'Placeholder',
          attr: { dtype: FLOAT, shape: { shape: dims([-1, o.size, o.size, 3]) } },
        },
        constNode('conv/filter', 'DT_FLOAT', filterShape),
        constNode('pool/axes', 'DT_INT32', [2]),
        {
          name: 'conv',
          op: 'Conv2D',
          input: ['input', 'conv/filter'],
          attr: {
            T: FLOAT,
            strides: ones,
            dilations: ones,
            padding: { s: base64('SAME') },
            data_format: { s: base64('NHWC') },
          },
        },
        { name: 'tanh', op: 'Tanh', input: ['conv'], attr: { T: FLOAT } },
        {
          name: 'embedding',
          op: 'Mean',
          input: ['tanh', 'pool/axes'],
          attr: { T: FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } },
        },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'conv/filter', shape: filterShape, dtype: 'float32' },
          { name: 'pool/axes', shape: [2], dtype: 'int32' },
        ],
      },
    ],
  };
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'model.json'), JSON.stringify(modelJson));
  await writeFile(
    path.join(folder, 'weights.bin'),
    Buffer.concat([Buffer.from(filter.buffer), Buffer.from(axes.buffer)]),
  );
}
