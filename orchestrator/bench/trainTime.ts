/**
 * Wall time of one classifier training (trainClassifier with its default epochs, shifts and
 * weight averaging) on random pixels, for grey 28×28 and colour 32×32 inputs at several label
 * counts, on the backend the orchestrator would choose (TF_BACKEND forces one). Training is
 * most of a retrain cycle, and its cost does not depend on what the pixels show.
 * Usage: npm run bench:train -- [--labels 100,300,500] [--repeats 1]
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { z } from 'zod';
import { chooseBackend } from '../src/backend/chooseBackend';
import type { InputSpec } from '../src/features/inputSpec';
import { architectureFor } from '../src/model/architecture';
import { epochsFor, trainClassifier } from '../src/model/trainClassifier';

const { values } = parseArgs({
  options: { labels: { type: 'string' }, repeats: { type: 'string' } },
});
const args = z
  .object({
    labels: z
      .string()
      .transform((s) => s.split(',').map(Number))
      .pipe(z.array(z.int().min(1)))
      .default([100, 300, 500]),
    repeats: z.coerce.number().int().min(1).default(1),
  })
  .parse(values);

const NUM_CLASSES = 10;
const specs: InputSpec[] = [
  { width: 28, height: 28, channels: 1 },
  { width: 32, height: 32, channels: 3 },
];
const { tf, name } = await chooseBackend({ logger: pino({ level: 'warn' }) });
console.log(`backend ${name}`);
for (const spec of specs) {
  const length = spec.width * spec.height * spec.channels;
  for (const n of args.labels) {
    const pixels = new Uint8Array(n * length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2_654_435_761) >>> 24;
    const targets = new Float32Array(n * NUM_CLASSES);
    for (let i = 0; i < n; i++) targets[i * NUM_CLASSES + (i % NUM_CLASSES)] = 1;
    const seconds: number[] = [];
    for (let r = 0; r < args.repeats; r++) {
      const start = performance.now();
      const model = await trainClassifier({
        tf,
        architecture: architectureFor(name),
        spec,
        numClasses: NUM_CLASSES,
        multiLabel: false,
        pixels,
        targets,
        seed: r + 1,
      });
      model.dispose();
      seconds.push((performance.now() - start) / 1000);
    }
    const shape = `${spec.width}x${spec.height}x${spec.channels}`;
    console.log(
      `${shape} ${n} labels, ${epochsFor(n, spec)} epochs: ${seconds.map((s) => s.toFixed(1)).join(' / ')} s`,
    );
  }
}
