/**
 * One run of the real loop: fresh database → server + orchestrator → import CLI → simulated
 * labellers → the models it reported and their stored artifacts → stop and drop. Returns the
 * order it handed out.
 */
import path from 'node:path';
import type { BenchDataset } from './datasets';
import { poolFileName } from './datasets/writePool';
import { retrainAndWait, runLabellers, type LabellingResult } from './labelling';
import type { Mode } from './personas';
import { reportedModel, type ReportedModel } from './results';
import type { BenchCluster } from './system/cluster';
import { importFolder, loggedProblems, startSystem, type RunningSystem } from './system/runSystem';
import { describeModels, describeOrders, ordersWritten } from './system/ordersWritten';
import { SampleResolver } from './system/sampleResolver';
import { readStoredModels, type StoredModels } from './system/storedModels';

export interface RunOptions {
  repoRoot: string;
  cluster: BenchCluster;
  ds: BenchDataset;
  mode: Mode;
  seed: number;
  imageDir: string;
  hashes: string[];
  maxLabels: number;
  retrainEvery: number;
  /** Acquisition settings PUT before labelling starts; undefined keeps the defaults. */
  settings: Record<string, unknown> | undefined;
  modelTimeoutMs: number;
  runTimeoutMs: number;
  workDir: string;
  progress: (line: string) => void;
}

export interface RunOutcome {
  labelling: LabellingResult;
  models: ReportedModel[];
  /** The reported versions' artifacts, read before the database is dropped. */
  stored: StoredModels;
  importMs: number;
  mapping: string;
}

export async function runOnce(o: RunOptions): Promise<RunOutcome> {
  let system: RunningSystem | undefined;
  const state = { timedOut: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    o.progress(`run timeout (${o.runTimeoutMs / 60_000} min, --run-timeout): stopping the system`);
    void system?.stop();
  }, o.runTimeoutMs);
  const db = await o.cluster.createDatabase();
  try {
    const project = `bench-${o.ds.name}`;
    // As a team would: the system is running when the folder is imported, and the labellers
    // start the moment the import is done (the import wakes the orchestrator).
    o.progress('starting server');
    system = await startSystem({
      repoRoot: o.repoRoot,
      databaseUrl: db.url,
      dataDir: path.join(o.workDir, 'data'),
      project,
    });
    o.progress('importing');
    const imported = await importFolder({
      repoRoot: o.repoRoot,
      databaseUrl: db.url,
      project,
      labels: o.ds.classNames,
      folder: o.imageDir,
    });
    o.progress(`imported in ${(imported.ms / 1000).toFixed(0)} s (${imported.summary})`);
    if (o.settings) {
      // The project exists only now: the first cold-start order may use the defaults.
      await system.api.putSettings(o.settings);
      o.progress(`settings ${JSON.stringify(o.settings)}`);
    }
    const fileNames = Array.from({ length: o.ds.pool.n }, (_, i) => poolFileName(i));
    const resolver = await SampleResolver.create(system.api, fileNames, o.hashes);
    o.progress(`server up at ${system.url}; labelling (sample → image via ${resolver.method})`);
    const labelling = await runLabellers({
      url: system.url,
      api: system.api,
      ds: o.ds,
      mode: o.mode,
      seed: o.seed,
      maxLabels: o.maxLabels,
      retrainEvery: o.retrainEvery,
      modelTimeoutMs: o.modelTimeoutMs,
      resolver,
      progress: o.progress,
    });
    // As a team that stops labelling and asks for the final model: it trains on every label,
    // and the retrain measures earlier versions again on the whole held-out share, so the
    // figures checked below are the ones the admin page shows once the work is done.
    await retrainAndWait(
      { api: system.api, modelTimeoutMs: o.modelTimeoutMs },
      labelling.order.poolIndex.length,
      labelling.problems,
    );
    const models = (await system.api.models())
      .sort((a, b) => a.version - b.version)
      .map((m) =>
        reportedModel(
          m,
          labelling.models.find((seen) => seen.version === m.version)?.labels ?? null,
        ),
      );
    // Read after the list: a version stored since has no reported figures to check.
    const stored = await readStoredModels(db.url, project, o.hashes);
    const reported = new Set(models.map((m) => m.version));
    stored.models = stored.models.filter((m) => reported.has(m.version));
    const timeline = ordersWritten(system.child.retained());
    o.progress(describeOrders(timeline, labelling.handouts));
    o.progress(describeModels(timeline));
    for (const [what, n] of loggedProblems(system.child.output())) {
      labelling.problems.set(`server log: ${what}`, n);
    }
    return { labelling, models, stored, importMs: imported.ms, mapping: resolver.method };
  } catch (err) {
    // Grouped by message: raw lines are mostly stack traces of the same few warnings.
    const grouped = [...loggedProblems(system?.child.output() ?? [])].map(
      ([what, n]) => `    | ${what} ×${n}`,
    );
    const log = grouped.length
      ? `\n  server/orchestrator warnings and errors:\n${grouped.join('\n')}`
      : '';
    const why = state.timedOut ? ' (after the run timeout)' : '';
    throw new Error(`${err instanceof Error ? err.message : String(err)}${why}${log}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    await system?.stop();
    await db.drop();
  }
}
