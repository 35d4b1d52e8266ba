import {
  QueueBatcher,
  createDb,
  createProject,
  labelSample,
  migrateLatest,
  nextSample,
} from '../src/index';
import { insertSyntheticSamples } from './operations/insertSyntheticSamples';
import { timed, type CycleOutcome, type PreparedScenario } from './measure';

const OPTIONS = ['cat', 'dog', 'bird'];
const INSERT_CHUNK = 250_000;

/** Migrates a fresh database and fills one project with `items` open samples, random priority. */
export async function seedOurQueue(url: string, items: number): Promise<number> {
  const knex = createDb({ connectionString: url, poolMax: 2, applicationName: 'bench-seed' });
  try {
    await migrateLatest(knex);
    const project = await createProject({
      tx: knex,
      project: { name: 'bench', options: OPTIONS, labelsPerSample: 1 },
    });
    for (let from = 0; from < items; from += INSERT_CHUNK) {
      const count = Math.min(INSERT_CHUNK, items - from);
      await insertSyntheticSamples({ tx: knex, projectId: project.id, from, count });
    }
    await knex.raw('VACUUM ANALYZE samples');
    return project.id;
  } finally {
    await knex.destroy();
  }
}

/**
 * Our labelling queue through the db layer: each worker leases the next sample and labels it,
 * on a pool of `concurrency` connections. `single`: nextSample/labelSample, one statement and
 * one commit per call, so every worker effectively owns a connection. `batched`: the same
 * calls through QueueBatcher (what the server uses), which coalesces the workers' concurrent
 * calls into one round trip per batch.
 */
export async function prepareOurQueue({
  url,
  concurrency,
  items,
  batched,
}: {
  url: string;
  concurrency: number;
  items: number;
  batched: boolean;
}): Promise<PreparedScenario> {
  const projectId = await seedOurQueue(url, items);
  const knex = createDb({ connectionString: url, poolMax: concurrency, applicationName: 'bench' });
  // Open every connection before the clock starts: concurrent sleeps force the pool to C.
  await Promise.all(Array.from({ length: concurrency }, () => knex.raw('SELECT pg_sleep(0.05)')));
  const batcher = new QueueBatcher(knex);
  const next = batched ? batcher.next.bind(batcher) : nextSample.bind(null, knex);
  const label = batched ? batcher.label.bind(batcher) : labelSample.bind(null, knex);
  return {
    cycle: async (worker: number): Promise<CycleOutcome> => {
      const labeller = `w${worker}`;
      const [sample, handoutMs] = await timed(() => next({ projectId, labeller, ttlSeconds: 60 }));
      if (!sample) return 'empty';
      await label({
        projectId,
        sampleId: sample.id,
        labeller,
        value: OPTIONS[sample.id % OPTIONS.length] ?? 'cat',
      });
      return { handoutMs };
    },
    close: () => knex.destroy(),
  };
}
