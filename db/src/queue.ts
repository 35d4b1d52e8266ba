import type { Knex } from 'knex';
import { findLabelByClientKey } from './operations/queue/findLabelByClientKey';
import { findLastUndoableEntry } from './operations/queue/findLastUndoableEntry';
import { insertEntryIfHandedOut } from './operations/queue/insertEntryIfHandedOut';
import { insertLabelRow } from './operations/queue/insertLabelRow';
import { leaseNextSample, type LeasedSample } from './operations/queue/leaseNextSample';
import { leaseSampleTo } from './operations/queue/leaseSampleTo';
import { lockSampleForAction, type LockedSample } from './operations/queue/lockSampleForAction';
import { uncountLabelOnSample } from './operations/queue/uncountLabelOnSample';
import type { DbLabelRow, LabelValue } from './tables';

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

/** Leases the next sample for a labeller; undefined when nothing is left for them. */
export async function nextSample(
  knex: Knex,
  input: { projectId: number; labeller: string; ttlSeconds: number },
): Promise<LeasedSample | undefined> {
  return leaseNextSample({ tx: knex, ...input });
}

function validateValue(sample: LockedSample, value: LabelValue): LabelValue {
  const allowed = new Set(sample.options);
  if (Array.isArray(value)) {
    if (!sample.multi_label)
      throw new QueueError('INVALID_LABEL', 'this project takes one option per image');
    const unique = [...new Set(value)];
    const bad = unique.find((v) => !allowed.has(v));
    if (bad !== undefined)
      throw new QueueError('INVALID_LABEL', `"${bad}" is not an option of this project`);
    return unique.sort();
  }
  if (!allowed.has(value))
    throw new QueueError('INVALID_LABEL', `"${value}" is not an option of this project`);
  return sample.multi_label ? [value] : value;
}

/** Locks the sample and checks it exists and belongs to the labeller's project. */
async function lockInProject(trx: Knex.Transaction, input: ActionInput): Promise<LockedSample> {
  const sample = await lockSampleForAction({ tx: trx, sampleId: input.sampleId });
  if (!sample) throw new QueueError('SAMPLE_NOT_FOUND', `no sample ${input.sampleId}`);
  if (sample.project_id !== input.projectId) {
    throw new QueueError('WRONG_PROJECT', `sample ${input.sampleId} is not in this project`);
  }
  return sample;
}

/**
 * Appends a label or skip on a locked sample; refused unless the sample was handed to the
 * labeller at some point and they have no label or skip on it in force.
 */
async function appendEntry(
  trx: Knex.Transaction,
  input: ActionInput,
  sample: LockedSample,
  entry: { kind: 'label' | 'skip'; value: LabelValue | null; conflict: boolean },
): Promise<number> {
  const attempt = await insertEntryIfHandedOut({
    tx: trx,
    projectId: input.projectId,
    sampleId: input.sampleId,
    labeller: input.labeller,
    ...entry,
    labelsPerSample: sample.labels_per_sample,
    clientKey: input.clientKey ?? null,
  });
  if (attempt.handout_id === null) {
    throw new QueueError('NOT_LEASED', `sample ${input.sampleId} was not handed to you`);
  }
  if (attempt.label_id === null) {
    throw new QueueError(
      'ALREADY_LABELLED',
      `you already labelled or skipped sample ${input.sampleId}`,
    );
  }
  return attempt.label_id;
}

async function replayed(knex: Knex, input: ActionInput): Promise<DbLabelRow | undefined> {
  if (input.clientKey === undefined) return undefined;
  return findLabelByClientKey({ tx: knex, labeller: input.labeller, clientKey: input.clientKey });
}

/**
 * Records a label. If the lease was lost meanwhile, the label still counts when the sample
 * still wants labels; otherwise it is kept as a conflict row (never dropped, never overwriting).
 */
export async function labelSample(
  knex: Knex,
  input: ActionInput & { value: LabelValue },
): Promise<LabelOutcome> {
  const earlier = await replayed(knex, input);
  if (earlier) return { labelId: earlier.id, conflict: earlier.conflict };
  return knex.transaction(async (trx) => {
    const sample = await lockInProject(trx, input);
    const value = validateValue(sample, input.value);
    const conflict = sample.label_count >= sample.labels_per_sample;
    const labelId = await appendEntry(trx, input, sample, { kind: 'label', value, conflict });
    return { labelId, conflict };
  });
}

/** Records a skip: the labeller will not be handed this sample again; others will. */
export async function skipSample(knex: Knex, input: ActionInput): Promise<{ labelId: number }> {
  const earlier = await replayed(knex, input);
  if (earlier) return { labelId: earlier.id };
  return knex.transaction(async (trx) => {
    const sample = await lockInProject(trx, input);
    const labelId = await appendEntry(trx, input, sample, {
      kind: 'skip',
      value: null,
      conflict: false,
    });
    return { labelId };
  });
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
    await lockSampleForAction({ tx: trx, sampleId: entry.sample_id });
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
    if (entry.kind === 'label' && !entry.conflict) {
      await uncountLabelOnSample({ tx: trx, sampleId: entry.sample_id });
    }
    const leased = await leaseSampleTo({
      tx: trx,
      sampleId: entry.sample_id,
      labeller: input.labeller,
      ttlSeconds: input.ttlSeconds,
    });
    return { sampleId: entry.sample_id, undoneLabelId: entry.id, leased };
  });
}
