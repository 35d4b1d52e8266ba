/**
 * How well one training run does on random MNIST labels, by labelled-set size, epoch budget
 * and augmentation: the model's side of the learning curve, apart from acquisition.
 * Per seed: 2,000 digits held out as the test set, the first `size` of the rest are labelled.
 *
 * Usage: npx tsx orchestrator/bench/trainingSweep.ts [--sizes 100,200,500,1000]
 *        [--scales 1,2] [--seeds 3] [--max-shift 2] [--batch 64] [--average 0.33]   (scales multiply
 *        epochsFor(size); max-shift 0 trains without augmentation; batch: batchSizeFor's)
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { chooseBackend } from '../src/backend/chooseBackend';
import { Predictor } from '../src/model/predictInBatches';
import { DEFAULT_INPUT_SPEC } from '../src/features/inputSpec';
import { epochsFor } from '../src/model/trainClassifier';
import { loadMnistArrays, shuffledRows, testAccuracy, trainOnDigits } from './mnistArrays';

const list = z
  .string()
  .transform((s) => s.split(',').map(Number))
  .pipe(z.array(z.number().positive()));
const args = z
  .object({
    sizes: list.default([100, 200, 500, 1000]),
    scales: list.default([1, 2]),
    seeds: z.coerce.number().int().min(1).default(3),
    'max-shift': z.coerce.number().int().min(0).optional(),
    batch: z.coerce.number().int().positive().optional(),
    average: z.coerce.number().min(0).max(1).optional(),
  })
  .parse(
    parseArgs({
      options: {
        sizes: { type: 'string' },
        scales: { type: 'string' },
        seeds: { type: 'string' },
        'max-shift': { type: 'string' },
        batch: { type: 'string' },
        average: { type: 'string' },
      },
    }).values,
  );

const { tf, name } = await chooseBackend({ logger: pino({ level: 'warn' }) });
const data = loadMnistArrays();
console.log(`backend ${name}; max shift ${args['max-shift'] ?? 'default'}; ${args.seeds} seeds`);
for (const size of args.sizes) {
  for (const scale of args.scales) {
    const epochs = Math.round(epochsFor(size, DEFAULT_INPUT_SPEC) * scale);
    const accuracies: number[] = [];
    let trainMs = 0;
    for (let seed = 1; seed <= args.seeds; seed++) {
      const order = shuffledRows(data.n, seed);
      const test = order.slice(0, 2_000);
      const train = order.slice(2_000, 2_000 + size);
      const started = performance.now();
      const model = await trainOnDigits(tf, data, train, {
        epochs,
        seed,
        maxShift: args['max-shift'],
        batchSize: args.batch,
        averageShare: args.average,
      });
      trainMs += performance.now() - started;
      accuracies.push(testAccuracy(new Predictor(tf, model), data, test));
      model.dispose();
    }
    const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
    const each = accuracies.map((a) => (a * 100).toFixed(1)).join(' ');
    console.log(
      `${String(size).padStart(5)} labels  ${String(epochs).padStart(3)} epochs  ${(mean * 100).toFixed(1)}%  [${each}]  train ${(trainMs / args.seeds / 1000).toFixed(1)} s`,
    );
  }
}
