import PgBoss from 'pg-boss';
import { timed, type CycleOutcome, type PreparedScenario } from './measure';

const QUEUE = 'bench';
const INSERT_CHUNK = 10_000;

/**
 * pg-boss v10 doing the same job on the same server: one standard queue holding `items` jobs
 * with random priorities (pg-boss hands out by priority desc, created_on, id, as ours hands out
 * by priority), and workers that `fetch` one job and `complete` it, on a pool of exactly
 * `concurrency` connections. Supervision (maintenance) and cron scheduling are off: within a
 * seconds-long window they would only add background queries that ours does not run either.
 */
export async function preparePgBoss({
  url,
  concurrency,
  items,
}: {
  url: string;
  concurrency: number;
  items: number;
}): Promise<PreparedScenario> {
  const boss = new PgBoss({
    connectionString: url,
    max: concurrency,
    application_name: 'bench',
    supervise: false,
    schedule: false,
  });
  let lastError: Error | undefined;
  boss.on('error', (err) => {
    lastError = err;
  });
  await boss.start();
  await boss.createQueue(QUEUE);
  for (let from = 0; from < items; from += INSERT_CHUNK) {
    const jobs = Array.from({ length: Math.min(INSERT_CHUNK, items - from) }, (_, k) => ({
      name: QUEUE,
      data: { sample: from + k },
      priority: Math.floor(Math.random() * 1_000_000),
    }));
    await boss.insert(jobs);
  }
  const db = boss.getDb();
  await db.executeSql('VACUUM ANALYZE pgboss.job', []);
  await Promise.all(
    Array.from({ length: concurrency }, () => db.executeSql('SELECT pg_sleep(0.05)', [])),
  );
  return {
    cycle: async (): Promise<CycleOutcome> => {
      // fetch() swallows query errors and answers [] as for an empty queue; both count as empty.
      const [jobs, handoutMs] = await timed(() => boss.fetch(QUEUE, { batchSize: 1 }));
      const job = jobs[0];
      if (!job) {
        if (lastError) throw lastError;
        return 'empty';
      }
      await boss.complete(QUEUE, job.id);
      return { handoutMs };
    },
    close: () => boss.stop({ graceful: false, wait: true }),
  };
}
