/**
 * A pretrained TF.js backbone as pool embedder: a layers model (tf.loadLayersModel) or a graph
 * model (tf.loadGraphModel), from a path or a URL (modelFiles.ts). The project's pixels are
 * fed as modelInput.ts describes; the model's output, or the layer/node `embedder_output`
 * names, becomes unit-length rows. The model is loaded once and kept until dispose().
 */
import type { io, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { featureLength, inputSpecKey } from '../features/inputSpec';
import { readTfjsArtifacts } from './modelFiles';
import {
  embedInBatches,
  resolveInputShape,
  rowsPerBatch,
  toModelInput,
  toUnitRows,
} from './modelInput';
import {
  EmbedderLoadError,
  type EmbedderDeps,
  type EmbedderSettings,
  type PoolEmbedder,
} from './poolEmbedder';

/** Bump when preprocessing or pooling changes what an embedding means. */
const TFJS_EMBEDDER_VERSION = 1;

type ModelKind = 'layers' | 'graph';

/** A loaded model, whichever kind: one input, one output. */
interface RunnableModel {
  inputShape: readonly (number | null)[] | undefined;
  run(input: Tensor4D): Promise<Tensor>;
  dispose(): void;
}

function modelKind(artifacts: io.ModelArtifacts, what: string): ModelKind {
  if (artifacts.format === 'graph-model') return 'graph';
  if (artifacts.format === 'layers-model') return 'layers';
  const topology = (artifacts.modelTopology ?? {}) as Record<string, unknown>;
  if (Array.isArray(topology.node)) return 'graph';
  if ('model_config' in topology || 'class_name' in topology) return 'layers';
  throw new EmbedderLoadError(`${what} is neither a TF.js layers model nor a graph model`);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function loadLayers(
  tf: TensorFlow,
  artifacts: io.ModelArtifacts,
  output: string | null,
  what: string,
): Promise<RunnableModel> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  try {
    if (model.inputs.length !== 1) {
      throw new EmbedderLoadError(
        `${what} has ${model.inputs.length} inputs; one image input only`,
      );
    }
    let head = model;
    if (output !== null) {
      const names = model.layers.map((l) => l.name);
      if (!names.includes(output)) {
        throw new EmbedderLoadError(
          `${what} has no layer "${output}" (it has ${names.join(', ')})`,
        );
      }
      const layerOutput = model.getLayer(output).output;
      if (Array.isArray(layerOutput)) {
        throw new EmbedderLoadError(`layer "${output}" of ${what} has several outputs`);
      }
      head = tf.model({ inputs: model.inputs, outputs: layerOutput });
    } else if (model.outputs.length !== 1) {
      throw new EmbedderLoadError(
        `${what} has ${model.outputs.length} outputs; name a layer with embedder_output`,
      );
    }
    return {
      inputShape: model.inputs[0]?.shape,
      // predict() runs inside its own tidy: only the answer survives.
      run: (input) => Promise.resolve(head.predict(input) as Tensor),
      // The head shares the base's layers and weights: disposing the base frees them.
      dispose: () => model.dispose(),
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

async function loadGraph(
  tf: TensorFlow,
  artifacts: io.ModelArtifacts,
  output: string | null,
  what: string,
): Promise<RunnableModel> {
  const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  try {
    const [input, ...others] = model.inputs;
    if (!input || others.length > 0) {
      throw new EmbedderLoadError(
        `${what} has ${model.inputs.length} inputs; one image input only`,
      );
    }
    if (input.dtype !== 'float32') {
      throw new EmbedderLoadError(`${what} takes ${input.dtype} input; float32 images only`);
    }
    if (output === null && model.outputs.length !== 1) {
      throw new EmbedderLoadError(
        `${what} has ${model.outputs.length} outputs; name a node with embedder_output`,
      );
    }
    const outputs = output ?? undefined;
    const firstOf = (out: Tensor | Tensor[]): Tensor => {
      if (!Array.isArray(out)) return out;
      out.slice(1).forEach((t) => {
        t.dispose();
      });
      const [first] = out;
      if (!first) throw new Error('the graph answered no tensor');
      return first;
    };
    // execute() where it can (executeAsync on a plain graph prints a console warning);
    // executeAsync once a graph turns out to have control flow or dynamic shapes.
    let needsAsync = false;
    return {
      inputShape: input.shape,
      run: async (x) => {
        if (!needsAsync) {
          try {
            return firstOf(tf.tidy(() => model.execute(x, outputs)));
          } catch (err) {
            if (!reason(err).includes('executeAsync')) throw err;
            needsAsync = true;
          }
        }
        return firstOf(await model.executeAsync(x, outputs));
      },
      dispose: () => {
        model.dispose();
      },
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

const LOADERS: Record<ModelKind, typeof loadLayers> = { layers: loadLayers, graph: loadGraph };

export async function loadTfjsModelEmbedder(
  settings: EmbedderSettings,
  { tf, logger, fetch: fetchFunc }: EmbedderDeps,
): Promise<PoolEmbedder> {
  const location = settings.embedder_model;
  if (location === null) throw new EmbedderLoadError('embedder tfjs-model needs embedder_model');
  const what = `TF.js model ${location}`;
  const { artifacts, digest } = await readTfjsArtifacts(tf, location, fetchFunc);
  const kind = modelKind(artifacts, what);
  let model: RunnableModel;
  try {
    model = await LOADERS[kind](tf, artifacts, settings.embedder_output, what);
  } catch (err) {
    if (err instanceof EmbedderLoadError) throw err;
    throw new EmbedderLoadError(`${what} could not be built: ${reason(err)}`, { cause: err });
  }
  const range = settings.embedder_input_range;
  const log = logger.child({ component: 'embedder', embedder: 'tfjs-model' });
  log.info({ model: location, kind, digest, input: model.inputShape }, 'backbone loaded');
  return {
    key: `tfjs-model:v${TFJS_EMBEDDER_VERSION}:${digest}:${settings.embedder_output ?? ''}:${range}`,
    async fit(sample, spec) {
      const shape = resolveInputShape(model.inputShape, spec, ['NHWC'], what);
      const embedBatch = async (pixels: Uint8Array, rows: number) => {
        const x = toModelInput(tf, pixels, rows, spec, shape, range);
        let out: Tensor | undefined;
        try {
          out = await model.run(x);
          const unit = toUnitRows(tf, out, shape.layout);
          try {
            return Float32Array.from(await unit.data());
          } finally {
            unit.dispose();
          }
        } finally {
          x.dispose();
          out?.dispose();
        }
      };
      // One image first: the dimension, and a clear error if the model cannot take this input.
      const first = sample.n > 0 ? sample.pixels : new Uint8Array(featureLength(spec));
      let dim: number;
      try {
        dim = (await embedBatch(first.subarray(0, featureLength(spec)), 1)).length;
      } catch (err) {
        const fed = `${shape.height}x${shape.width}x${shape.channels}`;
        throw new EmbedderLoadError(
          `${what} cannot embed ${inputSpecKey(spec)} images fed as ${fed}: ${reason(err)}`,
          { cause: err },
        );
      }
      const batch = rowsPerBatch(shape);
      log.debug({ dim, batch, fedAs: shape }, 'backbone fitted to the project');
      return {
        dim,
        embed: (pixels, n) => embedInBatches(pixels, n, spec, { batch, dim, run: embedBatch }),
      };
    },
    dispose() {
      model.dispose();
      return Promise.resolve();
    },
  };
}
