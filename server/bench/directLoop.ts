import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { QueueBatcher } from '@al/db';
import { runTimedLoops, type Cycle, type LoopResult } from './latency';

const OPTIONS = ['cat', 'dog', 'bird'];

/**
 * The same next → label cycle as the socket clients, straight through the db layer as the
 * server uses it (QueueBatcher: concurrent calls share a round trip), so the ratio measures
 * what the socket layer costs, not batching.
 */
export function runDirectLoop(opts: {
  knex: Knex;
  projectId: number;
  workers: number;
  warmupSeconds: number;
  seconds: number;
  ttlSeconds: number;
}): Promise<LoopResult> {
  const queue = new QueueBatcher(opts.knex);
  const cycle = async (worker: number): Promise<Cycle> => {
    const labeller = `direct-${worker}`;
    const t0 = performance.now();
    const sample = await queue.next({
      projectId: opts.projectId,
      labeller,
      ttlSeconds: opts.ttlSeconds,
    });
    const nextMs = performance.now() - t0;
    if (!sample) return { kind: 'empty', nextMs };
    const t1 = performance.now();
    await queue.label({
      projectId: opts.projectId,
      labeller,
      sampleId: sample.id,
      value: OPTIONS[sample.id % OPTIONS.length] ?? 'cat',
    });
    return { kind: 'labelled', nextMs, labelMs: performance.now() - t1 };
  };
  return runTimedLoops({ ...opts, cycle });
}
