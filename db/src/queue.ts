import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { hasEligibleSample } from './operations/queue/hasEligibleSample';
import { findLastUndoableEntry } from './operations/queue/findLastUndoableEntry';
import { insertAnswers, type AnswerResult } from './operations/queue/insertAnswers';
import { insertLabelRow } from './operations/queue/insertLabelRow';
import { leaseNextSamples, type LeasedSample } from './operations/queue/leaseNextSamples';
import { leaseSampleTo } from './operations/queue/leaseSampleTo';
import { lockSample } from './operations/queue/lockSample';
import { uncountLabelOnSample } from './operations/queue/uncountLabelOnSample';
import type { LabelValue } from './tables';

/** Error codes a queue operation can end with; they are safe to show to a labeller. */
export type QueueErrorCode =
  | 'SAMPLE_NOT_FOUND'
  | 'NOT_LEASED'
  | 'ALREADY_LABELLED'
  | 'INVALID_LABEL'
  | 'WRONG_PROJECT'
  | 'NOTHING_TO_UNDO';

export class QueueError extends Error {
  constructor(
    readonly code: QueueErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueueError';
  }
}

export interface LabelOutcome {
  labelId: number;
  /** True when the lease had been lost and the sample already had all wanted labels. */
  conflict: boolean;
}

export interface ActionInput {
  projectId: number;
  sampleId: number;
  labeller: string;
  clientKey?: string;
}

/** How long a hand-out waits for rows another transaction holds before saying "nothing left". */
const LOCKED_RETRY_MS = 100;
const LOCKED_RETRY_LIMIT_MS = 10_000;

/**
 * Leases the next sample for a labeller; undefined when nothing is left for them. When every
 * eligible row is locked for a moment (an orchestrator's priority write holds the rows it
 * rewrote until it commits), it retries instead of telling the labeller there is nothing left.
 */
export async function nextSample(
  knex: Knex,
  input: { projectId: number; labeller: string; ttlSeconds: number },
): Promise<LeasedSample | undefined> {
  for (const started = Date.now(); ;) {
    const [sample] = await leaseNextSamples({
      tx: knex,
      projectId: input.projectId,
      labellers: [input.labeller],
      ttlSeconds: input.ttlSeconds,
    });
    if (sample) return sample;
    if (Date.now() - started > LOCKED_RETRY_LIMIT_MS) return undefined;
    if (!(await hasEligibleSample({ tx: knex, ...input }))) return undefined;
    await sleep(LOCKED_RETRY_MS);
  }
}

/** One answer per value: a multi-label set is stored deduplicated and sorted. */
export function normaliseValue(value: LabelValue): LabelValue {
  return Array.isArray(value) ? [...new Set(value)].sort() : value;
}

/** Postgres unique_violation: two resends with one client key raced each other. */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

export interface AnswerRequest extends ActionInput {
  kind: 'label' | 'skip';
  /** The label's value (normalised); null for a skip. */
  value: LabelValue | null;
}

/** The row the answer statement wrote for one request, or the QueueError its checks raised. */
export function answerOutcome(input: AnswerRequest, result: AnswerResult): LabelOutcome {
  if (result.replay_id !== null) {
    return { labelId: result.replay_id, conflict: result.replay_conflict === true };
  }
  if (result.project_id === null) {
    throw new QueueError('SAMPLE_NOT_FOUND', `no sample ${input.sampleId}`);
  }
  if (result.project_id !== input.projectId) {
    throw new QueueError('WRONG_PROJECT', `sample ${input.sampleId} is not in this project`);
  }
  if (result.value_ok !== true) {
    throw new QueueError(
      'INVALID_LABEL',
      `${JSON.stringify(input.value)} is not an option of this project`,
    );
  }
  if (result.handout_id === null) {
    throw new QueueError('NOT_LEASED', `sample ${input.sampleId} was not handed to you`);
  }
  if (result.label_id === null) {
    throw new QueueError(
      'ALREADY_LABELLED',
      `you already labelled or skipped sample ${input.sampleId}`,
    );
  }
  return { labelId: result.label_id, conflict: result.conflict === true };
}

/**
 * Writes one label or skip (insertAnswers with one item) and turns its checks into QueueErrors.
 * A resend with a client key already used returns the first result.
 */
export async function answer(knex: Knex, input: AnswerRequest): Promise<LabelOutcome> {
  const run = async () => {
    const [result] = await insertAnswers({
      tx: knex,
      answers: [{ ...input, clientKey: input.clientKey ?? null }],
    });
    if (!result) throw new Error('answer statement returned no row');
    return result;
  };
  let result;
  try {
    result = await run();
  } catch (err) {
    if (!isUniqueViolation(err) || input.clientKey === undefined) throw err;
    result = await run(); // the racing twin committed first: this run finds it as a replay
  }
  return answerOutcome(input, result);
}

/**
 * Records a label. If the lease was lost meanwhile, the label still counts when the sample
 * still wants labels; otherwise it is kept as a conflict row (never dropped, never overwriting).
 */
export async function labelSample(
  knex: Knex,
  input: ActionInput & { value: LabelValue },
): Promise<LabelOutcome> {
  return answer(knex, { ...input, kind: 'label', value: normaliseValue(input.value) });
}

/** Records a skip: the labeller will not be handed this sample again; others will. */
export async function skipSample(knex: Knex, input: ActionInput): Promise<{ labelId: number }> {
  const { labelId } = await answer(knex, { ...input, kind: 'skip', value: null });
  return { labelId };
}

export interface UndoOutcome {
  sampleId: number;
  undoneLabelId: number;
  /** Whether the labeller holds the lease again (false only if someone else holds it now). */
  leased: boolean;
}

/**
 * Reverts the labeller's most recent label or skip in the project by appending an undo row,
 * restores the sample's count and status, and leases it back to the labeller.
 */
export async function undoLast(
  knex: Knex,
  input: { projectId: number; labeller: string; ttlSeconds: number },
): Promise<UndoOutcome> {
  return knex.transaction(async (trx) => {
    const entry = await findLastUndoableEntry({
      tx: trx,
      projectId: input.projectId,
      labeller: input.labeller,
    });
    if (!entry) throw new QueueError('NOTHING_TO_UNDO', 'you have nothing to undo in this project');
    // Lock the sample first so a concurrent label on it waits for the count to be restored.
    await lockSample({ tx: trx, sampleId: entry.sample_id });
    await insertLabelRow({
      tx: trx,
      row: {
        projectId: input.projectId,
        sampleId: entry.sample_id,
        labeller: input.labeller,
        kind: 'undo',
        undoesId: entry.id,
      },
    });
    // An answer to a gold hand-out was never counted.
    if (entry.kind === 'label' && !entry.conflict && !entry.gold) {
      await uncountLabelOnSample({ tx: trx, sampleId: entry.sample_id });
    }
    const leased = await leaseSampleTo({
      tx: trx,
      sampleId: entry.sample_id,
      labeller: input.labeller,
      ttlSeconds: input.ttlSeconds,
      gold: entry.gold,
    });
    return { sampleId: entry.sample_id, undoneLabelId: entry.id, leased };
  });
}
