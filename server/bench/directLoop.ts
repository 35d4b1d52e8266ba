import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { QueueBatcher } from '@al/db';
import { summarise, type LoopResult } from './latency';

const OPTIONS = ['cat', 'dog', 'bird'];

/**
 * The same next → label cycle as the socket clients, straight through the db layer as the
 * server uses it (QueueBatcher: concurrent calls share a round trip), so the ratio measures
 * what the socket layer costs, not batching.
 */
export async function runDirectLoop(opts: {
  knex: Knex;
  projectId: number;
  workers: number;
  seconds: number;
  ttlSeconds: number;
}): Promise<LoopResult> {
  const queue = new QueueBatcher(opts.knex);
  const nextMs: number[] = [];
  const labelMs: number[] = [];
  let labels = 0;
  let empty = 0;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.workers }, async (_, w) => {
      const labeller = `direct-${w}`;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const sample = await queue.next({
          projectId: opts.projectId,
          labeller,
          ttlSeconds: opts.ttlSeconds,
        });
        nextMs.push(performance.now() - t0);
        if (!sample) {
          empty++;
          continue;
        }
        const t1 = performance.now();
        await queue.label({
          projectId: opts.projectId,
          labeller,
          sampleId: sample.id,
          value: OPTIONS[sample.id % OPTIONS.length] ?? 'cat',
        });
        labelMs.push(performance.now() - t1);
        labels++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return summarise({ nextMs, labelMs, labels, seconds, errors: 0, empty });
}
