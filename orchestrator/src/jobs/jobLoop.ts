/**
 * The orchestrator's main loop. Each round: requeue jobs whose orchestrator died (stale
 * heartbeat), then, until no job is left for us, enqueue what the triggers say is due and
 * claim and run a queued job; then sleep until a NOTIFY or a jittered poll, a short one while
 * some project is being labelled (its label trigger is due within seconds). While a job runs
 * its heartbeat is renewed; if the heartbeat finds the job is no longer ours (another
 * orchestrator recovered it during a stall), the run is aborted before it can write anything.
 */
import {
  claimRetrainJob,
  enqueueRetrainIfIdle,
  finishRetrainJob,
  heartbeatRetrainJob,
  recoverStaleRetrainJobs,
  type DbRetrainJobRow,
} from '@al/db';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { S3DatasourceOptions } from '@al/media';
import type { ChosenBackend } from '../backend/chooseBackend';
import { PoolEmbeddingCache } from '../training/poolEmbedding';
import { retrainProject, type RetrainOutcome } from '../training/retrainProject';
import { TrainerThread } from '../training/trainerThread';
import { LabellerPressure } from '../pacing/labellerPressure';
import { Pacer, type PacingSettings } from '../pacing/pacer';
import { RetrainWakeups } from './retrainWakeups';
import { enqueueDueRetrains } from './retrainTriggers';

export interface JobLoopOptions {
  knex: Knex;
  /** For the LISTEN connection; omit to rely on polling alone. */
  databaseUrl?: string;
  backend: ChosenBackend;
  logger: Logger;
  /** How samples in S3 are read (path style for S3-compatible stores); from the config. */
  s3?: S3DatasourceOptions;
  instanceId: string;
  pollIntervalMs?: number;
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this is taken to be abandoned. */
  staleAfterSeconds?: number;
  /** A job whose orchestrator died this many times in a row is failed, not requeued. */
  maxRecoveries?: number;
  /** Evaluate the automatic triggers each round (tests of the claim logic turn it off). */
  triggers?: boolean;
  epochs?: number;
  /** Test seam: runs inside the write transaction of every job, before any priority. */
  beforeWrite?: (job: DbRetrainJobRow) => Promise<void>;
  onJobFinished?: (job: DbRetrainJobRow, outcome: RetrainOutcome | Error) => void;
  /** Bounded slices while labellers are busy (pacing/pacer.ts); omitted: never paced. */
  pacing?: PacingSettings;
  /** How often a running job reads how busy labellers are (default 500 ms). */
  pressurePollMs?: number;
}

/**
 * Three deaths in a row: one could be a deploy or an OOM-killer victim chosen for another
 * process's sake, two a coincidence; a third says the job itself kills its process.
 */
const DEFAULT_MAX_RECOVERIES = 3;

/**
 * The poll period while labels are coming in. Labels send no NOTIFY (counting a project's
 * labels on every answer would slow the hot path), so a team at 5 labels/s would otherwise
 * cross `retrain_every_labels` and wait up to a whole poll for the next model.
 */
const LABELLING_POLL_MS = 1_000;

class ShutdownError extends Error {
  override name = 'ShutdownError';
}

export class JobLoop {
  private stopping = false;
  private readonly shutdown = new AbortController();
  private readonly embeddingCache = new PoolEmbeddingCache();
  private wake: (() => void) | undefined;
  private wakeups: RetrainWakeups | undefined;
  private loop: Promise<void> | undefined;
  private readonly log: Logger;
  private readonly pressure: LabellerPressure | undefined;
  private readonly trainerThread: TrainerThread | undefined;
  /** The last trigger check saw labels that are not yet due. */
  private labelling = false;

  constructor(private readonly o: JobLoopOptions) {
    this.log = o.logger.child({ component: 'job-loop', instanceId: o.instanceId });
    this.pressure =
      o.pacing &&
      new LabellerPressure({
        ...o.pacing,
        knex: o.knex,
        logger: this.log,
        pollMs: o.pressurePollMs ?? 500,
      });
    this.trainerThread = TrainerThread.helps(o.backend.name)
      ? new TrainerThread({ backend: o.backend.name, logger: this.log, pacing: o.pacing })
      : undefined;
  }

  async start(): Promise<void> {
    if (this.o.databaseUrl) {
      this.wakeups = new RetrainWakeups({
        databaseUrl: this.o.databaseUrl,
        logger: this.log,
        onWake: () => this.wake?.(),
      });
      await this.wakeups.start();
    }
    this.loop = this.run();
  }

  /** Abandons the current job (its transaction rolls back; it is requeued) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.shutdown.abort(new ShutdownError('orchestrator shutting down'));
    this.wake?.();
    await this.loop;
    await this.wakeups?.close();
    await this.trainerThread?.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.round();
      } catch (err) {
        this.log.error({ err }, 'job loop round failed');
      }
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    const poll = this.o.pollIntervalMs ?? 5_000;
    const base = this.labelling ? Math.min(poll, LABELLING_POLL_MS) : poll;
    // ±25% jitter: orchestrators started together do not poll in lockstep.
    const ms = base * (0.75 + Math.random() * 0.5);
    return new Promise((resolve) => {
      if (this.stopping) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One round; exposed for tests that drive the loop step by step. */
  async round(): Promise<void> {
    const { knex } = this.o;
    const recovered = await recoverStaleRetrainJobs({
      tx: knex,
      staleAfterSeconds: this.o.staleAfterSeconds ?? 60,
      maxRecoveries: this.o.maxRecoveries ?? DEFAULT_MAX_RECOVERIES,
    });
    if (recovered.requeued.length > 0) {
      this.log.warn({ jobIds: recovered.requeued }, 'requeued stale retrain jobs');
    }
    if (recovered.gaveUp.length > 0) {
      this.log.error(
        { jobIds: recovered.gaveUp },
        'retrain jobs whose orchestrator died repeatedly were failed, not requeued',
      );
    }
    while (!this.stopping) {
      // Again after every job: labels that came while it ran are due now, not at the next poll.
      if (this.o.triggers ?? true) {
        this.labelling = (await enqueueDueRetrains(knex, this.log)).labelling;
      }
      const job = await claimRetrainJob({ tx: knex, instanceId: this.o.instanceId });
      if (!job) return;
      await this.runJob(job);
    }
  }

  private async runJob(job: DbRetrainJobRow): Promise<void> {
    const { knex, instanceId } = this.o;
    const log = this.log.child({ jobId: job.id, projectId: job.project_id });
    const lost = new AbortController();
    const signal = AbortSignal.any([this.shutdown.signal, lost.signal]);
    const heartbeat = async (): Promise<void> => {
      try {
        const ours = await heartbeatRetrainJob({ tx: knex, jobId: job.id, instanceId });
        if (!ours) lost.abort(new Error('job was recovered by another orchestrator'));
      } catch (err) {
        log.warn({ err }, 'heartbeat failed');
      }
    };
    const beat = setInterval(() => void heartbeat(), this.o.heartbeatMs ?? 5_000);
    const { pressure } = this;
    const pacer = pressure && this.o.pacing && new Pacer(() => pressure.busy, this.o.pacing);
    pressure?.start();
    log.info({ reason: job.reason }, 'retrain job started');
    let outcome: RetrainOutcome | Error;
    try {
      outcome = await retrainProject(job.project_id, {
        knex,
        backend: this.o.backend,
        logger: log,
        s3: this.o.s3,
        embeddingCache: this.embeddingCache,
        trainerThread: this.trainerThread,
        seed: job.id,
        signal,
        // The interval cannot fire while a phase holds the event loop (selection is
        // synchronous): a beat at every phase boundary keeps a live job from looking stale.
        heartbeat,
        epochs: this.o.epochs,
        pacer,
        beforeWrite: this.o.beforeWrite
          ? () => this.o.beforeWrite?.(job) ?? Promise.resolve()
          : undefined,
      });
    } catch (err) {
      outcome = err instanceof Error ? err : new Error(String(err));
    } finally {
      clearInterval(beat);
      pressure?.stop();
    }
    await this.record(job, outcome, log);
    this.o.onJobFinished?.(job, outcome);
  }

  private async record(job: DbRetrainJobRow, outcome: RetrainOutcome | Error, log: Logger) {
    const { knex, instanceId } = this.o;
    if (!(outcome instanceof Error)) {
      await finishRetrainJob({
        tx: knex,
        jobId: job.id,
        instanceId,
        outcome: { status: 'done', modelId: outcome.modelId },
      });
      log.info(
        { version: outcome.version, durationsMs: outcome.durationsMs, pausedMs: outcome.pausedMs },
        'retrain job done',
      );
      return;
    }
    const interrupted = this.shutdown.signal.aborted;
    const ours = await finishRetrainJob({
      tx: knex,
      jobId: job.id,
      instanceId,
      outcome: { status: 'failed', error: `${outcome.name}: ${outcome.message}` },
    });
    if (interrupted && ours) {
      // Not the job's fault: let the next orchestrator (or the next start) do it again.
      await knex.transaction((tx) =>
        enqueueRetrainIfIdle({ tx, projectId: job.project_id, reason: 'recovered' }),
      );
      log.warn('retrain job interrupted by shutdown; requeued');
    } else {
      log.error({ err: outcome, recordedAsFailed: ours }, 'retrain job failed');
    }
  }
}
