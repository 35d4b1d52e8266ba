/**
 * npm run bench:sustained [-- --minutes 5 --clients 200 --samples 1000000 --window 30 --pool 16 --warmup 10]
 *
 * Sustained load (issue 8): `clients` socket.io labellers loop next → label against a server
 * process of its own for `minutes`, on an embedded Postgres of its own with one project of
 * `samples` synthetic samples (enough not to run dry at 2,000+ labels/s). Prints labels/s,
 * sample:next latency and the server's RSS per window, and the health of the hot table
 * (dead tuples, HOT share of updates, hand-out index size) at the start and the end.
 * Goal: the last window within 10% of the first, memory flat. A warm-up (connections, plan
 * caches) runs before the first window, so the first window is not a slow start that would
 * hide a decay; the best window is printed too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDb, createProject, migrateLatest } from '@al/db';
import {
  createBenchDatabase,
  getQueueTableHealth,
  insertSyntheticSamples,
  type QueueTableHealth,
} from '@al/db/bench';
import { startTestCluster } from '@al/db/testing';
import { connectLabellers } from './labellerSockets';
import { nextLatency, runLabellers } from './sustainedClients';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    clients: { type: 'string', default: '200' },
    samples: { type: 'string', default: '1000000' },
    window: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '10' },
    pool: { type: 'string', default: '16' },
  },
});
const opts = z
  .object({
    minutes: z.coerce.number().positive().max(120),
    clients: z.coerce.number().int().positive(),
    samples: z.coerce.number().int().positive().max(20_000_000),
    window: z.coerce.number().positive(),
    warmup: z.coerce.number().min(0).max(300),
    pool: z.coerce.number().int().positive(),
  })
  .parse(values);

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED_CHUNK = 250_000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function startServer(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(here, 'serverProcess.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, DATABASE_URL: url, POOL: String(opts.pool), LEASE_TTL_SECONDS: '120' },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line)
        resolve({ child, port: z.object({ port: z.number() }).parse(JSON.parse(line)).port });
    });
    child.once('exit', (code) => {
      reject(new Error(`server process exited with ${code}`));
    });
  });
}

function serverRss(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      resolve(z.object({ rss: z.number() }).parse(m).rss);
    });
    child.send('rss');
  });
}

function describeHealth(label: string, h: QueueTableHealth): string {
  const hot = h.updates === 0 ? 0 : Math.round((100 * h.hotUpdates) / h.updates);
  return `${label}: samples dead tuples ${h.deadTuples} (live ${h.liveTuples}), HOT ${hot}% of ${h.updates} updates, autovacuums ${h.autovacuums}, hand-out index ${mb(h.handoutIndexBytes)} MB, table ${mb(h.samplesBytes)} MB, handouts dead tuples ${h.handoutsDeadTuples}`;
}

async function main(): Promise<void> {
  const cluster = await startTestCluster();
  const db = await createBenchDatabase(cluster.adminUrl, 'sustained');
  const knex = createDb({ connectionString: db.url, poolMax: 2, applicationName: 'bench-monitor' });
  let server: ChildProcess | undefined;
  try {
    await migrateLatest(knex);
    const project = await createProject({
      tx: knex,
      project: { name: 'sustained', options: ['cat', 'dog', 'bird'], labelsPerSample: 1 },
    });
    console.log(`seeding ${opts.samples} synthetic samples…`);
    for (let from = 0; from < opts.samples; from += SEED_CHUNK) {
      await insertSyntheticSamples({
        tx: knex,
        projectId: project.id,
        from,
        count: Math.min(SEED_CHUNK, opts.samples - from),
      });
    }
    await knex.raw('VACUUM ANALYZE samples');
    const started = await startServer(db.url);
    server = started.child;
    const sockets = await connectLabellers(
      `http://127.0.0.1:${started.port}`,
      opts.clients,
      'sustained',
    );
    const atStart = await getQueueTableHealth({ tx: knex });
    console.log(describeHealth('start', atStart));
    console.log(`${opts.clients} labellers for ${opts.minutes} min, windows of ${opts.window} s`);
    console.log('  t(s)  labels/s  next p50  next p99  errors  empty  server RSS MB  dead tuples');

    const loop = runLabellers(
      sockets,
      performance.now() + opts.warmup * 1000 + opts.minutes * 60_000,
    );
    await sleep(opts.warmup * 1000);
    loop.take(); // the warm-up's counts
    const t0 = performance.now();
    const deadline = t0 + opts.minutes * 60_000;
    const windows: { labelsPerSecond: number; rss: number }[] = [];
    for (let end = t0 + opts.window * 1000; end <= deadline + 1; end += opts.window * 1000) {
      await sleep(Math.max(0, end - performance.now()));
      const counts = loop.take();
      const labelsPerSecond = Math.round(counts.labels / opts.window);
      const rss = await serverRss(server);
      const health = await getQueueTableHealth({ tx: knex });
      const { p50, p99 } = nextLatency(counts);
      windows.push({ labelsPerSecond, rss });
      console.log(
        `${String(Math.round((end - t0) / 1000)).padStart(6)} ${String(labelsPerSecond).padStart(9)} ${String(p50).padStart(9)} ${String(p99).padStart(9)} ${String(counts.errors).padStart(7)} ${String(counts.empty).padStart(6)} ${String(mb(rss)).padStart(14)} ${String(health.deadTuples).padStart(12)}`,
      );
    }
    await loop.done;
    for (const s of sockets) s.close();
    console.log(describeHealth('end', await getQueueTableHealth({ tx: knex })));
    const first = windows[0];
    const last = windows.at(-1);
    if (first && last) {
      const ratio = Math.round((100 * last.labelsPerSecond) / Math.max(1, first.labelsPerSecond));
      console.log(
        `last window / first window: ${ratio}% (${last.labelsPerSecond} vs ${first.labelsPerSecond} labels/s; goal ≥ 90%)`,
      );
      const best = Math.max(...windows.map((w) => w.labelsPerSecond));
      console.log(`last window / best window: ${Math.round((100 * last.labelsPerSecond) / best)}%`);
      const rss = windows.map((w) => mb(w.rss));
      console.log(
        `server RSS first → last window: ${mb(first.rss)} → ${mb(last.rss)} MB (min ${Math.min(...rss)}, max ${Math.max(...rss)})`,
      );
    }
  } finally {
    server?.kill('SIGTERM');
    await knex.destroy();
    await db.drop();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
