/**
 * Time to train one epoch of a small dense model (784 → 128 → 10, 2,000 samples, batch 32)
 * on each TensorFlow.js backend that loads here. Synthetic data: only the speed matters.
 * Usage: npx tsx orchestrator/bench/backends.ts [--samples 2000] [--epochs 3]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { BACKEND_NAMES, chooseBackend } from '../src/backend/chooseBackend';
import { createRng } from '../src/acquisition/rng';

const args = z
  .object({
    samples: z.coerce.number().int().positive().default(2000),
    epochs: z.coerce.number().int().positive().default(3),
  })
  .parse(
    parseArgs({ options: { samples: { type: 'string' }, epochs: { type: 'string' } } }).values,
  );

const logger = pino({ level: 'warn' });
const rng = createRng(1);
const pixels = new Float32Array(args.samples * 784).map(() => rng());
const classes = Int32Array.from({ length: args.samples }, () => Math.floor(rng() * 10));

for (const backend of BACKEND_NAMES) {
  const chosen = await chooseBackend({ env: { TF_BACKEND: backend }, logger }).catch(() => null);
  if (!chosen) {
    console.log(`${backend}: not available`);
    continue;
  }
  const { tf } = chosen;
  const xs = tf.tensor2d(pixels, [args.samples, 784]);
  const ys = tf.oneHot(tf.tensor1d(classes, 'int32'), 10);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const epochMs: number[] = [];
  for (let e = 0; e < args.epochs; e++) {
    const t = performance.now();
    await model.fit(xs, ys, { epochs: 1, batchSize: 32 });
    epochMs.push(performance.now() - t);
  }
  console.log(
    `${backend}: one epoch of ${args.samples} × 784 → 128 → 10 (batch 32): ${epochMs.map((ms) => ms.toFixed(0)).join(', ')} ms (first includes warm-up)`,
  );
  tf.dispose([xs, ys]);
  model.dispose();
}
