/**
 * Keeps the trainer busy: asks for a retrain of the project (admin route), and as soon as that
 * job is done (its model has appeared) asks for the next, until stopped; then it follows the
 * job in flight a while longer, so its duration is known too. Every job's times are kept, to
 * tell how much of a window the trainer was actually running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RetrainJob } from '@al/contract';
import type { AdminApi } from './api';

/** Under the job route's limit of 120 reads a minute per address. */
const POLL_MS = 600;
const JOB_TIMEOUT_MS = 10 * 60_000;

export interface RetrainLoop {
  /**
   * Stops asking and waits up to `waitMs` for the job in flight; resolves with every job seen
   * (the last one may still be running).
   */
  stop: (waitMs: number) => Promise<RetrainJob[]>;
}

export function startBackToBackRetrains(
  api: AdminApi,
  project: string,
  onDone: (job: RetrainJob) => void,
): RetrainLoop {
  // Holders: written by stop() and the loop, which TypeScript's narrowing does not follow.
  const state: { stopping: boolean; giveUpAt: number; failure?: Error } = {
    stopping: false,
    giveUpAt: Infinity,
  };
  const stopping = () => state.stopping;
  const jobs = new Map<number, RetrainJob>();
  const run = async () => {
    while (!stopping()) {
      const jobId = await api.retrain(project);
      const deadline = performance.now() + JOB_TIMEOUT_MS;
      for (;;) {
        const job = await api.job(project, jobId);
        jobs.set(jobId, job);
        if (job.status === 'done' || job.status === 'failed') {
          onDone(job);
          break;
        }
        if (stopping() && performance.now() > state.giveUpAt) return;
        if (performance.now() > deadline) throw new Error(`retrain job ${jobId} never finished`);
        await sleep(POLL_MS);
      }
    }
  };
  const loop = run().catch((err: unknown) => {
    state.failure = err instanceof Error ? err : new Error(String(err));
  });
  return {
    stop: async (waitMs) => {
      state.giveUpAt = performance.now() + waitMs;
      state.stopping = true;
      await loop;
      if (state.failure) throw state.failure;
      return [...jobs.values()];
    },
  };
}

/** Seconds of [from, to] (ms since the epoch) during which some job was running. */
export function busySeconds(jobs: RetrainJob[], from: number, to: number): number {
  let ms = 0;
  for (const job of jobs) {
    if (job.startedAt === null) continue;
    const start = Math.max(from, Date.parse(job.startedAt));
    const end = Math.min(to, job.finishedAt === null ? to : Date.parse(job.finishedAt));
    ms += Math.max(0, end - start);
  }
  return ms / 1000;
}
