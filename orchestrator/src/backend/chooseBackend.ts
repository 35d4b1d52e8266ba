/**
 * Chooses the TensorFlow.js backend at run time: the fastest one that loads, in the order
 * tfjs-node-gpu (CUDA) → tfjs-node (native CPU) → wasm (SIMD, single thread in Node) → cpu
 * (pure JS). The native packages are optional dependencies that cannot even install on a
 * machine without access to the libtensorflow download, so they are imported dynamically
 * and a missing one only moves on to the next. `TF_BACKEND` forces one backend; a forced
 * backend that fails is an error, not a silent fallback. tfjs-node-gpu without a visible GPU
 * runs on the CPU: it is then reported as 'tensorflow', with a warning, never as the GPU.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from 'pino';
import { visibleNvidiaGpus } from './visibleGpus';
import { installUntransposedMatMul } from './wasmMatMul';
import { z } from 'zod';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** An empty TF_BACKEND (an image built without a forced backend) means: choose. */
export const backendEnvSchema = z.object({
  TF_BACKEND: z.preprocess((v) => (v === '' ? undefined : v), z.enum(BACKEND_NAMES).optional()),
});

export type TensorFlow = typeof tf;

export interface ChosenBackend {
  name: BackendName;
  tf: TensorFlow;
}

interface BackendLoader {
  /** The name tfjs registers the backend under. */
  tfName: string;
  /** Loads the package that registers the backend; throws when it is not available. */
  register(): Promise<void>;
}

/**
 * A specifier TypeScript cannot resolve statically, so a package that is not installed is a
 * run-time failure of import(), not a compile error.
 */
async function importOptional(specifier: string): Promise<void> {
  await import(specifier);
}

/** Absolute folder of the .wasm binaries, with the trailing separator tfjs concatenates onto. */
function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

const backendLoaders: Record<BackendName, BackendLoader> = {
  // tfjs-node(-gpu) register 'tensorflow' on the shared @tensorflow/tfjs engine on import.
  'tensorflow-gpu': {
    tfName: 'tensorflow',
    register: () => importOptional('@tensorflow/tfjs-node-gpu'),
  },
  tensorflow: { tfName: 'tensorflow', register: () => importOptional('@tensorflow/tfjs-node') },
  wasm: {
    tfName: 'wasm',
    register: async () => {
      // In Node the wasm backend reads the binary with fs from this folder (file path, no
      // fetch); it picks tfjs-backend-wasm-simd.wasm itself, and never threads in Node.
      const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
      setWasmPaths(wasmBinaryFolder());
    },
  },
  cpu: { tfName: 'cpu', register: () => Promise.resolve() },
};

/** Loads and selects one backend; throws when it cannot (also used by the trainer thread). */
export async function loadBackend(name: BackendName): Promise<TensorFlow> {
  const loader = backendLoaders[name];
  await loader.register();
  // setBackend resolves false (after a console warning) when the backend fails to initialise.
  if (!(await tf.setBackend(loader.tfName))) {
    throw new Error(`tf.setBackend('${loader.tfName}') failed to initialise`);
  }
  await tf.ready();
  if (name === 'wasm') installUntransposedMatMul(tf);
  return tf;
}

function reason(err: unknown): string {
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
}

export interface ChooseBackendOptions {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Where GPU device files are looked for (tests). */
  devDir?: string;
}

/** What a loaded backend really runs on: 'tensorflow-gpu' only with a GPU to run on. */
async function effectiveName(name: BackendName, log: Logger, devDir?: string) {
  if (name !== 'tensorflow-gpu') return name;
  const gpus = await visibleNvidiaGpus(devDir);
  if (gpus.length > 0) {
    log.info({ gpus }, 'NVIDIA GPUs visible');
    return name;
  }
  log.warn(
    'tfjs-node-gpu loaded but no NVIDIA GPU is visible (no /dev/nvidia<N>): TensorFlow runs on the CPU',
  );
  return 'tensorflow' as const;
}

export async function chooseBackend({
  env = process.env,
  logger,
  devDir,
}: ChooseBackendOptions): Promise<ChosenBackend> {
  const log = logger.child({ component: 'tf-backend' });
  // The orchestrator logs through pino; without prod mode tfjs prints its own banners on
  // the console (e.g. "install tfjs-node" on first use of the cpu backend).
  tf.enableProdMode();
  const parsed = backendEnvSchema.safeParse({ TF_BACKEND: env.TF_BACKEND });
  if (!parsed.success) throw new Error(`invalid environment:\n${z.prettifyError(parsed.error)}`);
  const forced = parsed.data.TF_BACKEND;
  if (forced) {
    try {
      await loadBackend(forced);
    } catch (err) {
      throw new Error(`TF_BACKEND=${forced} but that backend could not be loaded: ${reason(err)}`, {
        cause: err,
      });
    }
    const name = await effectiveName(forced, log, devDir);
    log.info({ backend: name, forcedBy: 'TF_BACKEND' }, 'tensorflow backend chosen');
    return { name, tf };
  }
  const skipped: { backend: BackendName; reason: string }[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      await loadBackend(name);
      const effective = await effectiveName(name, log, devDir);
      log.info({ backend: effective, skipped }, 'tensorflow backend chosen');
      return { name: effective, tf };
    } catch (err) {
      skipped.push({ backend: name, reason: reason(err) });
    }
  }
  // Unreachable in practice: the cpu backend ships inside @tensorflow/tfjs.
  throw new Error(`no tensorflow backend could be loaded: ${JSON.stringify(skipped)}`);
}
