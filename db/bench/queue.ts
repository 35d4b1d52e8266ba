/**
 * `npm run bench:queue [-- --concurrency 16,64,256 --seconds 10 --items N --systems ours,pg-boss]`
 *
 * Benchmarks the labelling queue's hand-out + label cycle through the db layer against pg-boss
 * v10 doing fetch + complete, on the same Postgres in the same run: an embedded cluster of its
 * own (own port, temp folder, removed at the end) unless BENCH_DATABASE_URL names a server whose
 * role may create databases. Every system × concurrency level gets a fresh database.
 *
 * Systems: `ours` is the db layer as the server uses it (QueueBatcher: the C workers' concurrent
 * calls coalesce into lease_samples/answer_samples batches, so of its C connections at most
 * 3 hand-out + 1 answer batches are busy at once); `ours-single` is one nextSample/labelSample
 * statement per call, every worker on its own connection; pg-boss fetches and completes one job
 * per call on its own connection.
 *
 * Reading the figures: pg-boss's fetch has no index matching its ORDER BY (priority desc,
 * created_on, id), so it sorts the whole backlog on every call and its rate falls as --items
 * grows (with 8,000 items it matched ours; with 100,000 ours was >10x). "node cpu/wait%" is the
 * client's own CPU and the share of time its event loop waited for a core: on a busy machine
 * the client, not Postgres, sets the pace, and backends show up as IdleInTx.
 */
import os from 'node:os';
import { startTestCluster } from '../src/testing/testPostgres';
import { parseBenchArgs, type BenchArgs, type SystemName } from './args';
import { createBenchDatabase } from './benchDatabase';
import { runClosedLoop, type PreparedScenario } from './measure';
import { prepareOurQueue } from './ourQueue';
import { preparePgBoss } from './pgBoss';
import { GOAL, printTable, ratios, writeJson, type LevelResult } from './report';
import { startWaitSampler } from './waitSampler';

const PREPARE: Record<
  SystemName,
  (input: { url: string; concurrency: number; items: number }) => Promise<PreparedScenario>
> = {
  ours: (input) => prepareOurQueue({ ...input, batched: true }),
  'ours-single': (input) => prepareOurQueue({ ...input, batched: false }),
  'pg-boss': preparePgBoss,
};

/** Backlog per scenario: room for 8,000 cycles/s over the whole run, so no level drains. */
function itemsFor(args: BenchArgs): number {
  return args.items ?? Math.max(20_000, Math.ceil((args.warmup + args.seconds + 2) * 8_000));
}

async function runLevel(
  adminUrl: string,
  system: SystemName,
  concurrency: number,
  args: BenchArgs,
): Promise<LevelResult> {
  const items = itemsFor(args);
  const db = await createBenchDatabase(adminUrl, `bench_${system.replace('-', '')}_${concurrency}`);
  try {
    const scenario = await PREPARE[system]({ url: db.url, concurrency, items });
    try {
      const loadAvgAtStart = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
      const sampler = await startWaitSampler(db.url, { afterMs: args.warmup * 1000 });
      const metrics = await runClosedLoop({
        concurrency,
        warmupSeconds: args.warmup,
        seconds: args.seconds,
        cycle: scenario.cycle,
      });
      return { system, items, ...metrics, waits: await sampler.stop(), loadAvgAtStart };
    } finally {
      await scenario.close();
    }
  } finally {
    await db.drop();
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  const cluster = args.benchDatabaseUrl ? undefined : await startTestCluster(); // max_connections 400: room for 256 workers + seed + monitor
  const adminUrl = args.benchDatabaseUrl ?? cluster?.adminUrl ?? '';
  const results: LevelResult[] = [];
  try {
    for (const concurrency of args.concurrency) {
      for (const system of args.systems) {
        console.log(
          `… ${system} at ${concurrency} connections (${args.seconds} s, ${itemsFor(args)} items)`,
        );
        results.push(await runLevel(adminUrl, system, concurrency, args));
      }
    }
  } finally {
    await cluster?.stop();
  }
  const levelRatios = ratios(results);
  printTable(results, levelRatios);
  const file = await writeJson({
    startedFrom: args.benchDatabaseUrl ? 'BENCH_DATABASE_URL' : 'embedded cluster',
    host: { cpus: os.cpus().length, loadAvg: os.loadavg(), node: process.version },
    args: { ...args, benchDatabaseUrl: undefined },
    goal: GOAL,
    results,
    ratios: levelRatios,
  });
  console.log(`wrote ${file}`);
}

await main();
