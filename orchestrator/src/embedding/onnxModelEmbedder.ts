/**
 * A pretrained ONNX backbone as pool embedder, run by onnxruntime-node (an optional
 * dependency: its CPU binaries ship in the npm tarball; a trainer image without it can still
 * use every other embedder). The .onnx file comes from a path or a URL; the project's pixels
 * are prepared with tfjs exactly as for a TF.js backbone (modelInput.ts), channels-first
 * unless the model's input says channels-last, and the output, or the one `embedder_output`
 * names, becomes unit-length rows.
 *
 * onnxruntime-node is imported by a specifier TypeScript does not resolve, against the few
 * types below, so type-checking does not depend on the optional package being installed.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import { featureLength, inputSpecKey } from '../features/inputSpec';
import { readModelBytes } from './modelFiles';
import {
  embedInBatches,
  resolveInputShape,
  rowsPerBatch,
  toModelInput,
  toUnitRows,
  type Layout,
} from './modelInput';
import {
  EmbedderLoadError,
  type EmbedderDeps,
  type EmbedderSettings,
  type PoolEmbedder,
} from './poolEmbedder';

/** Bump when preprocessing or pooling changes what an embedding means. */
const ONNX_EMBEDDER_VERSION = 1;

interface OrtTensor {
  readonly dims: readonly number[];
  readonly type: string;
  readonly data: unknown;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly {
    isTensor: boolean;
    type?: string;
    shape?: readonly (number | string)[];
  }[];
  run(
    feeds: Record<string, OrtTensor>,
    fetches: readonly string[],
  ): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

interface OnnxRuntime {
  InferenceSession: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
}

const ONNX_RUNTIME_PACKAGE: string = 'onnxruntime-node';

async function importOnnxRuntime(): Promise<OnnxRuntime> {
  let mod: { default?: unknown } & Record<string, unknown>;
  try {
    mod = (await import(ONNX_RUNTIME_PACKAGE)) as typeof mod;
  } catch (err) {
    throw new EmbedderLoadError(
      `embedder onnx-model needs the optional package ${ONNX_RUNTIME_PACKAGE}, which is not installed here`,
      { cause: err },
    );
  }
  // A CommonJS package: its exports may sit on `default` only.
  const ort = (typeof mod.InferenceSession === 'function' ? mod : mod.default) as
    Partial<OnnxRuntime> | undefined;
  if (typeof ort?.InferenceSession?.create !== 'function' || typeof ort.Tensor !== 'function') {
    throw new EmbedderLoadError(`${ONNX_RUNTIME_PACKAGE} does not export InferenceSession`);
  }
  return ort as OnnxRuntime;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function openSession(ort: OnnxRuntime, bytes: Uint8Array, what: string) {
  try {
    // One thread, like the wasm backend: the trainer shares its cores with the server.
    // Severity 3: errors only, which reach us as exceptions; nothing is printed on the console.
    return await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw new EmbedderLoadError(`${what} is not a model onnxruntime can run: ${reason(err)}`, {
      cause: err,
    });
  }
}

function chooseOutput(session: OrtSession, wanted: string | null, what: string): string {
  const outputs = session.outputNames;
  if (wanted !== null && !outputs.includes(wanted)) {
    throw new EmbedderLoadError(`${what} has no output "${wanted}" (it has ${outputs.join(', ')})`);
  }
  const [only, ...more] = outputs;
  if (wanted === null && (only === undefined || more.length > 0)) {
    throw new EmbedderLoadError(
      `${what} has outputs ${outputs.join(', ')}; name one with embedder_output`,
    );
  }
  return wanted ?? only ?? '';
}

/** An ONNX output tensor (float32) → unit-length rows. */
function outputRows(tf: TensorFlow, out: OrtTensor | undefined, layout: Layout): Float32Array {
  if (out?.type !== 'float32' || !(out.data instanceof Float32Array)) {
    throw new Error(`the output is ${out?.type ?? 'missing'}, not float32`);
  }
  const data = out.data;
  return tf.tidy(() => {
    const t: Tensor = tf.tensor(data, [...out.dims], 'float32');
    return Float32Array.from(toUnitRows(tf, t, layout).dataSync());
  });
}

export async function loadOnnxModelEmbedder(
  settings: EmbedderSettings,
  { tf, logger, fetch: fetchFunc }: EmbedderDeps,
): Promise<PoolEmbedder> {
  const location = settings.embedder_model;
  if (location === null) throw new EmbedderLoadError('embedder onnx-model needs embedder_model');
  const what = `ONNX model ${location}`;
  const ort = await importOnnxRuntime();
  const { bytes, digest } = await readModelBytes(location, fetchFunc);
  const session = await openSession(ort, bytes, what);
  let inputName: string;
  let outputName: string;
  try {
    const [input, ...others] = session.inputNames;
    if (input === undefined || others.length > 0) {
      throw new EmbedderLoadError(`${what} has inputs ${session.inputNames.join(', ')}; one only`);
    }
    const meta = session.inputMetadata?.[0];
    if (meta?.isTensor && meta.type !== 'float32') {
      throw new EmbedderLoadError(`${what} takes ${meta.type ?? '?'} input; float32 images only`);
    }
    inputName = input;
    outputName = chooseOutput(session, settings.embedder_output, what);
  } catch (err) {
    await session.release();
    throw err;
  }
  const declared = session.inputMetadata?.[0]?.shape;
  const range = settings.embedder_input_range;
  const log = logger.child({ component: 'embedder', embedder: 'onnx-model' });
  log.info({ model: location, digest, input: declared, output: outputName }, 'backbone loaded');
  return {
    key: `onnx-model:v${ONNX_EMBEDDER_VERSION}:${digest}:${outputName}:${range}`,
    async fit(sample, spec) {
      const shape = resolveInputShape(declared, spec, ['NCHW', 'NHWC'], what);
      const embedBatch = async (pixels: Uint8Array, rows: number) => {
        const x = toModelInput(tf, pixels, rows, spec, shape, range);
        let data: Float32Array;
        try {
          data = Float32Array.from(await x.data());
        } finally {
          x.dispose();
        }
        const feeds = { [inputName]: new ort.Tensor('float32', data, x.shape) };
        const out = await session.run(feeds, [outputName]);
        return outputRows(tf, out[outputName], shape.layout);
      };
      const first = sample.n > 0 ? sample.pixels : new Uint8Array(featureLength(spec));
      let dim: number;
      try {
        dim = (await embedBatch(first.subarray(0, featureLength(spec)), 1)).length;
      } catch (err) {
        const fed = `${shape.layout} ${shape.height}x${shape.width}x${shape.channels}`;
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
    dispose: () => session.release(),
  };
}
