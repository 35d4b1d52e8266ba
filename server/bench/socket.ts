/**
 * npm run bench:socket [-- --clients 200 --seconds 20 --warmup 3 --samples 500000 --pool 16 --ahead 0]
 * Starts its own embedded Postgres, seeds one project, then measures the next → label cycle
 * twice in one run: straight through the db layer (in this process), and through the server
 * (createApp here, socket.io clients in a child process). Each path loops for `--warmup`
 * seconds before its measured `--seconds` start (see runTimedLoops). `--ahead 1` makes each
 * socket client hold one sample fetched ahead and label the older one, as the labelling page
 * does; 0 (the default) loops next → label with nothing held.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDb, getProjectProgress } from '@al/db';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createBenchDatabase, seedOurQueue } from '@al/db/bench';
import { startTestCluster } from '@al/db/testing';
import { createApp } from '../src/app/createApp';
import { createLogger } from '@al/media';
import { runDirectLoop } from './directLoop';
import type { LoopResult } from './latency';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    samples: { type: 'string', default: '500000' },
    pool: { type: 'string', default: '16' },
    ahead: { type: 'string', default: '0' },
  },
});
const opts = z
  .object({
    clients: z.coerce.number().int().positive(),
    seconds: z.coerce.number().positive(),
    warmup: z.coerce.number().nonnegative(),
    samples: z.coerce.number().int().positive(),
    pool: z.coerce.number().int().positive(),
    ahead: z.coerce.number().int().nonnegative(),
  })
  .parse(values);

const TTL_SECONDS = 120;
const here = path.dirname(fileURLToPath(import.meta.url));

function runClients(url: string): Promise<LoopResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'socketClients.ts')],
      {
        env: {
          ...process.env,
          URL: url,
          CLIENTS: String(opts.clients),
          SECONDS: String(opts.seconds),
          WARMUP_SECONDS: String(opts.warmup),
          AHEAD: String(opts.ahead),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`client process exited with ${code}`));
      else resolve(JSON.parse(line) as LoopResult);
    });
  });
}

/** This process's memory, CPU and event-loop delay while `run` runs. */
async function measureServer<T>(run: () => Promise<T>) {
  const rss: number[] = [];
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 500);
  const result = await run();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    result,
    server: {
      rssMax: Math.max(...rss),
      rssLast: rss.at(-1) ?? 0,
      cpuPercent: Math.round((cpu.user + cpu.system) / 1e4 / seconds),
      loopDelayP50Ms: Math.round(loopDelay.percentile(50) / 1e6),
      loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
    },
  };
}

/** The three paths' figures, and the socket path's throughput against the direct mean. */
function printPaths(directBefore: LoopResult, socket: LoopResult, directAfter: LoopResult): void {
  const row = (name: string, r: LoopResult) =>
    `${name.padEnd(10)} ${String(r.labelsPerSecond).padStart(8)} ${String(r.nextP50Ms).padStart(9)} ${String(r.nextP99Ms).padStart(9)} ${String(r.labelP50Ms).padStart(10)} ${String(r.labelP99Ms).padStart(10)} ${String(r.errors).padStart(7)} ${String(r.empty).padStart(6)}`;
  console.log(
    `\n${'path'.padEnd(10)} ${'labels/s'.padStart(8)} ${'next p50'.padStart(9)} ${'next p99'.padStart(9)} ${'label p50'.padStart(10)} ${'label p99'.padStart(10)} ${'errors'.padStart(7)} ${'empty'.padStart(6)}`,
  );
  console.log(row('direct 1', directBefore));
  console.log(row('socket', socket));
  console.log(row('direct 2', directAfter));
  const directMean = (directBefore.labelsPerSecond + directAfter.labelsPerSecond) / 2;
  console.log(
    `\nsocket / mean direct: ${Math.round((100 * socket.labelsPerSecond) / directMean)}%`,
  );
}

async function main(): Promise<void> {
  const cluster = await startTestCluster();
  const db = await createBenchDatabase(cluster.adminUrl, 'socketbench');
  try {
    console.log(`seeding ${opts.samples} samples…`);
    const projectId = await seedOurQueue(db.url, opts.samples);
    const knex = createDb({
      connectionString: db.url,
      poolMax: opts.pool,
      applicationName: 'bench',
    });
    const scanStarted = performance.now();
    await getProjectProgress({ tx: knex, projectId });
    const scanMs = Math.round((performance.now() - scanStarted) * 10) / 10;
    // direct → socket → direct: the queue slows as it ages (dead tuples, a longer labels
    // table), so the socket run is compared with the mean of a run before and one after it.
    const directRun = async (label: string) => {
      console.log(
        `direct db path (${label}): ${opts.clients} workers, ${opts.warmup} + ${opts.seconds} s…`,
      );
      return runDirectLoop({
        knex,
        projectId,
        workers: opts.clients,
        warmupSeconds: opts.warmup,
        seconds: opts.seconds,
        ttlSeconds: TTL_SECONDS,
      });
    };
    const directBefore = await directRun('before');

    const app = await createApp({
      knex,
      databaseUrl: db.url,
      logger: createLogger('warn'),
      config: {
        ADMIN_TOKEN: 'bench-admin-token-0123456789',
        LABELLER_TOKEN: undefined,
        LEASE_TTL_SECONDS: TTL_SECONDS,
      },
    });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = app.httpServer.address() as AddressInfo;
    console.log(
      `socket path: ${opts.clients} clients in a child process, ${opts.warmup} + ${opts.seconds} s…`,
    );
    // Server-side figures cover the client process's whole run (start-up and warm-up included).
    const { result: socket, server } = await measureServer(() =>
      runClients(`http://127.0.0.1:${port}`),
    );
    await app.close();

    const directAfter = await directRun('after');
    await knex.destroy();
    printPaths(directBefore, socket, directAfter);
    const mb = (b: number) => Math.round(b / 2 ** 20);
    console.log(
      `server RSS during the client run: max ${mb(server.rssMax)} MB, last ${mb(server.rssLast)} MB`,
    );
    console.log(
      `CPU (% of one core): server ${server.cpuPercent} over the client run, clients ${socket.cpuPercent} over the window`,
    );
    console.log(
      `event-loop delay: server (client run) p50 ${server.loopDelayP50Ms} ms, p99 ${server.loopDelayP99Ms} ms; clients (window) p99 ${socket.loopDelayP99Ms} ms`,
    );
    console.log(
      `slowest sample:next of the warm-ups (not in the figures): direct ${directBefore.warmupNextMaxMs} / ${directAfter.warmupNextMaxMs} ms, socket ${socket.warmupNextMaxMs} ms`,
    );
    console.log(`one progress scan over ${opts.samples} samples: ${scanMs} ms`);
    console.log(`(latencies in ms; ${opts.pool} db connections for both paths)`);
  } finally {
    await db.drop();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
