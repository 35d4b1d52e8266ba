/**
 * The GPU smoke test's inside: chooses the TensorFlow.js backend as the orchestrator does, says
 * which it got and on what device, trains the product's classifier (the CNN on the native
 * backends) for one epoch on the demo digits and prints images per second. Exits 1 when the
 * backend is not the one asked for (`--expect`, default tensorflow-gpu): a trainer image that
 * quietly falls back to the CPU is what this test exists to catch.
 *
 *   node --import tsx orchestrator/bench/gpuSmoke/train.ts [--expect tensorflow-gpu|tensorflow|wasm|cpu]
 *        [--samples 10000] [--epochs 1]
 * (npm run gpu:smoke runs it in the GPU trainer image; with --expect cpu --samples 300 it runs here.)
 */
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { BACKEND_NAMES, chooseBackend } from '../../src/backend/chooseBackend';
import { visibleNvidiaGpus } from '../../src/backend/visibleGpus';
import { DEFAULT_INPUT_SPEC } from '../../src/features/inputSpec';
import { architectureFor } from '../../src/model/architecture';
import { trainClassifier } from '../../src/model/trainClassifier';
import { gatherPixels, loadMnistArrays } from '../mnistArrays';

const args = z
  .object({
    expect: z.enum(BACKEND_NAMES).default('tensorflow-gpu'),
    samples: z.coerce.number().int().min(64).max(10_000).default(10_000),
    epochs: z.coerce.number().int().min(1).max(100).default(1),
  })
  .parse(
    parseArgs({
      options: {
        expect: { type: 'string' },
        samples: { type: 'string' },
        epochs: { type: 'string' },
      },
    }).values,
  );

/** The GPUs as the driver names them (nvidia-smi is mounted by the NVIDIA runtime), or why not. */
async function nvidiaSmi(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', [
      '--query-gpu=name,driver_version,memory.total',
      '--format=csv,noheader',
    ]);
    return stdout.trim().split('\n').join('; ');
  } catch (err) {
    return `nvidia-smi not available (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
}

const logger = pino({ level: 'info' });
const backend = await chooseBackend({ env: { TF_BACKEND: args.expect }, logger });
const architecture = architectureFor(backend.name);
console.log(
  `backend: ${backend.name} (tfjs backend ${backend.tf.getBackend()}), model: ${architecture}`,
);
console.log(`device files: ${(await visibleNvidiaGpus()).join(', ') || 'no /dev/nvidia<N>'}`);
console.log(`GPUs: ${await nvidiaSmi()}`);

const digits = loadMnistArrays();
// The package lists the digits class by class: every k-th keeps all ten in a smaller run.
const n = Math.min(args.samples, digits.n);
const rows = Array.from({ length: n }, (_, i) => Math.floor((i * digits.n) / n));
const pixels = gatherPixels(digits.pixels, rows);
const targets = new Float32Array(n * 10);
rows.forEach((row, i) => (targets[i * 10 + (digits.labels[row] ?? 0)] = 1));
const started = performance.now();
const model = await trainClassifier({
  tf: backend.tf,
  architecture,
  spec: DEFAULT_INPUT_SPEC,
  numClasses: 10,
  multiLabel: false,
  pixels,
  targets,
  epochs: args.epochs,
  seed: 1,
});
const seconds = (performance.now() - started) / 1000;
model.dispose();
const perSecond = Math.round((n * args.epochs) / seconds);
console.log(
  `trained ${args.epochs} epoch(s) on ${n} digits in ${seconds.toFixed(1)} s: ${perSecond} images/s`,
);
if (backend.name !== args.expect) {
  console.error(`FAIL: expected backend ${args.expect}, got ${backend.name}`);
  process.exitCode = 1;
}
