/**
 * `npm run bench:al`: judges the ORDER in which the running system hands out images, from the
 * outside, on several data sets, against random orders of the same pool.
 *
 * Per data set and seed: a pool (imported with the import CLI into a fresh database) and a
 * test set; per mode (wait: one labeller who waits for each model; crowd and team: ten who
 * never wait, flat out or at a person's pace)
 * one run of the real server + orchestrator with simulated socket.io labellers, recording the
 * hand-out order; then a fixed judge network (judge.ts) is trained on the first k images of
 * that order, and of random orders, and scored on the test set. See args.ts for the options.
 * Writes every measurement to bench-results/al-loop-<time>.csv.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, type BenchArgs } from './args';
import { buildDataset, type BenchDataset } from './datasets';
import { writePool } from './datasets/writePool';
import { judgeOrder, judgePoints, mean } from './evaluate';
import { initJudgeBackend, JUDGE_DEFAULTS, releaseTestSet } from './judge';
import { judgeOnBackbone } from './backboneJudge';
import { evaluateOnTestSet } from './modelsOnTestSet';
import { randomOrder, type Mode } from './personas';
import { printRunSummary, printTable } from './report';
import { printHonestySummary } from './reportHonesty';
import { MIN_HELD_OUT } from './honesty';
import { Results } from './results';
import { runOnce } from './runOnce';
import { startBenchCluster, type BenchCluster } from './system/cluster';
import { killAllChildren } from './system/processes';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const benchStart = performance.now();

function log(line: string): void {
  const secs = Math.round((performance.now() - benchStart) / 1000);
  console.log(
    `[${String(Math.floor(secs / 60)).padStart(3)}m${String(secs % 60).padStart(2, '0')}s] ${line}`,
  );
}

const curveText = (points: { k: number; accuracies: number[] }[]) =>
  points.map((p) => `${p.k}:${(100 * mean(p.accuracies)).toFixed(1)}`).join(' ');

async function judgeRandomOrders(
  args: BenchArgs,
  ds: BenchDataset,
  seed: number,
  results: Results,
) {
  // Random orders do not depend on the mode unless labellers differ in quality (noisy).
  const groups: Mode[][] = ds.noise ? args.modes.map((m) => [m]) : [args.modes];
  const settings = { ...JUDGE_DEFAULTS, epochs: args.judgeEpochs };
  const top = args.budgets.at(-1) ?? 0;
  for (const modes of groups) {
    const curves = [];
    for (let r = 0; r < args.randomOrders; r++) {
      const order = randomOrder(ds, modes[0] ?? 'wait', seed, r, top);
      curves.push(
        await judgeOrder(ds, order, args.budgets, { judgeSeeds: args.judgeSeeds, seed, settings }),
      );
      log(
        `${ds.name} seed ${seed}: random order ${r + 1}/${args.randomOrders} (${modes.join('+')}): ${curveText(curves.at(-1) ?? [])}`,
      );
    }
    results.addRandom(ds.name, modes, seed, curves);
  }
}

async function benchDatasetSeed(
  args: BenchArgs,
  ds: BenchDataset,
  seed: number,
  results: Results,
  cluster: BenchCluster | undefined,
  workRoot: string,
): Promise<void> {
  await judgeRandomOrders(args, ds, seed, results);
  if (!cluster) return;
  const workDir = path.join(workRoot, `${ds.name}-s${seed}`);
  const imageDir = path.join(workDir, 'images');
  log(`${ds.name} seed ${seed}: writing ${ds.pool.n} PNGs`);
  const hashes = await writePool(ds, imageDir);
  const settings = { ...JUDGE_DEFAULTS, epochs: args.judgeEpochs };
  try {
    for (const mode of args.modes) {
      const tag = `${ds.name} seed ${seed} ${mode}`;
      try {
        const run = await runOnce({
          repoRoot: REPO_ROOT,
          cluster,
          ds,
          mode,
          seed,
          imageDir,
          hashes,
          maxLabels: args.maxLabels,
          retrainEvery: args.retrainEvery,
          settings: args.settings,
          modelTimeoutMs: args.modelTimeoutMs,
          runTimeoutMs: args.runTimeoutMs,
          workDir,
          progress: (line) => {
            log(`${tag}: ${line}`);
          },
        });
        const { labelling } = run;
        log(
          `${tag}: ${labelling.order.poolIndex.length} labels in ${(labelling.ms / 1000).toFixed(0)} s, ${run.models.length} models; testing them`,
        );
        const tested = await evaluateOnTestSet(ds, run.stored);
        const models = run.models.map((m) => ({
          ...m,
          test: tested.accuracies.find((t) => t.version === m.version) ?? null,
        }));
        log(`${tag}: ${tested.accuracies.length} models on ${ds.test.n} test images; judging`);
        results.addHandouts({ dataset: ds.name, mode, seed }, labelling.handouts, ds.pool.labels);
        const t = performance.now();
        const ks = judgePoints(args.budgets, args.judgeStep, args.maxLabels);
        const curve = await judgeOrder(ds, labelling.order, ks, {
          judgeSeeds: args.judgeSeeds,
          seed,
          settings,
        });
        const judgeMs = performance.now() - t;
        log(
          `${tag}: system order: ${curveText(curve)} (judged in ${(judgeMs / 1000).toFixed(0)} s)`,
        );
        results.addSystem(
          {
            dataset: ds.name,
            mode,
            seed,
            importMs: run.importMs,
            labellingMs: labelling.ms,
            judgeMs,
            labels: labelling.order.poolIndex.length,
            models: run.models.length,
            retrainWaitsMs: labelling.retrainWaitsMs,
            problems: labelling.problems,
            mapping: run.mapping,
            poolDecoding: tested.poolDecoding,
          },
          curve,
          models,
        );
      } catch (err) {
        const message = `${tag}: ${err instanceof Error ? err.message : String(err)}`;
        log(`FAILED ${message}`);
        results.addFailure(message);
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = new Results(path.join(REPO_ROOT, 'bench-results', `al-loop-${stamp}.csv`));
  log(
    `bench:al — datasets ${args.datasets.join(',')}, modes ${args.modes.join(',')}, ${args.seeds} seed(s) from ${args.firstSeed}, ` +
      `${args.randomOrders} random orders, ${args.judgeSeeds} judge inits, budgets ${args.budgets.join(',')}, ` +
      `max ${args.maxLabels} labels, settings ${args.settings ? JSON.stringify(args.settings) : 'default'}; CSV ${path.relative(REPO_ROOT, results.csvPath)}`,
  );
  await initJudgeBackend();
  const workRoot = await mkdtemp(path.join(tmpdir(), 'al-bench-'));
  let cluster: BenchCluster | undefined;
  const cleanup = async () => {
    killAllChildren();
    await cluster?.stop().catch((err: unknown) => {
      console.error(`could not stop the Postgres cluster: ${String(err)}`);
    });
    cluster = undefined;
    await rm(workRoot, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up (partial results are in ${results.csvPath})`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    if (!args.baselineOnly) {
      log('starting PostgreSQL');
      cluster = await startBenchCluster();
    }
    const numClasses = new Map<string, number>();
    for (const name of args.datasets) {
      for (let seed = args.firstSeed; seed < args.firstSeed + args.seeds; seed++) {
        const built = await buildDataset(name, seed, args.judgeSide);
        const ds = args.judgeBackbone ? await judgeOnBackbone(built, args.judgeBackbone) : built;
        results.descriptions.set(name, ds.description);
        numClasses.set(name, ds.classNames.length);
        log(`${name} seed ${seed}: ${ds.description}`);
        await benchDatasetSeed(args, ds, seed, results, cluster, workRoot);
        releaseTestSet(ds.test);
      }
    }
    for (const name of args.datasets) {
      for (const mode of args.modes) {
        printTable(results, name, mode, args.budgets, numClasses.get(name) ?? 10);
        const honesty = printHonestySummary(results, name, mode);
        results.addHonestySummary(name, mode, 0, honesty.all);
        results.addHonestySummary(name, mode, MIN_HELD_OUT, honesty.reliable);
      }
    }
    printRunSummary(results);
    const minutes = (performance.now() - benchStart) / 60_000;
    console.log(`\nCSV: ${results.csvPath}\ntotal ${minutes.toFixed(1)} min`);
    return results.failures.length ? 1 : 0;
  } finally {
    await cleanup();
  }
}

process.on('exit', killAllChildren);
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      `bench:al failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    process.exit(1);
  },
);
