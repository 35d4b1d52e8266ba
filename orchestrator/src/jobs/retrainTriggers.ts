/**
 * The automatic triggers, per project (settings in projects.acquisition): retrain after
 * `retrain_every_labels` new labels, or after `retrain_every_seconds` when there is at least
 * one new label; and order a project that was never ordered once it has samples (cold start). Never enqueues
 * while a job of the project is queued or running.
 */
import { enqueueRetrainIfIdle, listRetrainTriggerStates, type RetrainReason } from '@al/db';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { parseAcquisitionSettings } from '@al/contract';
import type { RetrainTriggerState } from '@al/db';

/**
 * What a project's state calls for: a retrain and why, 'pending' when it is idle with valid
 * settings and new labels that are not yet due (someone is labelling it), else nothing.
 */
export function triggerReason(
  state: RetrainTriggerState,
  logger: Logger,
): RetrainReason | 'pending' | null {
  if (state.busy) return null;
  let settings;
  try {
    settings = parseAcquisitionSettings(state.acquisition);
  } catch (err) {
    logger.warn(
      { projectId: state.project_id, err },
      'invalid acquisition settings; not retraining',
    );
    return null;
  }
  if (state.never_ordered && state.has_open_samples) return 'timer';
  if (state.new_labels >= settings.retrain_every_labels) return 'labels';
  if (
    state.new_labels > 0 &&
    state.seconds_since_last_job !== null &&
    state.seconds_since_last_job >= settings.retrain_every_seconds
  ) {
    return 'timer';
  }
  return state.new_labels > 0 ? 'pending' : null;
}

export interface DueRetrains {
  jobs: number[];
  /** Some project is 'pending' (triggerReason). */
  labelling: boolean;
}

/** Evaluates every project's triggers and enqueues the due ones. */
export async function enqueueDueRetrains(knex: Knex, logger: Logger): Promise<DueRetrains> {
  const jobs: number[] = [];
  let labelling = false;
  for (const state of await listRetrainTriggerStates({ tx: knex })) {
    const reason = triggerReason(state, logger);
    if (reason === 'pending') labelling = true;
    if (reason === null || reason === 'pending') continue;
    const jobId = await knex.transaction((tx) =>
      enqueueRetrainIfIdle({ tx, projectId: state.project_id, reason }),
    );
    if (jobId !== undefined) {
      logger.info(
        { projectId: state.project_id, jobId, reason, newLabels: state.new_labels },
        'retrain enqueued',
      );
      jobs.push(jobId);
    }
  }
  return { jobs, labelling };
}
