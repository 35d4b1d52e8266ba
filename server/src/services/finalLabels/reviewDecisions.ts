/**
 * A reviewer's decisions on images' final labels: each one is appended (label_reviews), never
 * updated, so confirming, correcting and changing one's mind later all stay in the history.
 */
import {
  getSampleById,
  insertLabelReview,
  listLabelReviews,
  type DbLabelReviewRow,
  type DbProjectRow,
  type LabelValue,
  type Tx,
} from '@al/db';
import type { ReviewDecision, ReviewEntry, ReviewRecorded } from '@al/contract';
import { finalLabelOf } from './finalLabelRows';

/** What the route answers: the result, or why the request is refused (400 or 404). */
export type ReviewOutcome<T> =
  { ok: true; value: T } | { ok: false; status: 400 | 404; message: string };

const DEFAULT_REVIEWER = 'admin';

const refuse = (status: 400 | 404, message: string) => ({ ok: false, status, message }) as const;

function entryOf(row: DbLabelReviewRow): ReviewEntry {
  return {
    id: row.id,
    sampleId: row.sample_id,
    label: row.value,
    reviewer: row.reviewer,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The label as stored, or why it is not one the project allows: single-label takes one option
 * as a string, multi-label a subset of the options (a string is a set of one), stored sorted
 * and without repeats, as the labelling route stores answers.
 */
export function checkedLabel(
  project: DbProjectRow,
  label: ReviewDecision['label'],
): { ok: true; value: LabelValue } | { ok: false; message: string } {
  const options = project.options.join(', ');
  if (!project.multi_label) {
    if (typeof label !== 'string') {
      return { ok: false, message: `project "${project.name}" takes one label, as a string` };
    }
    if (!project.options.includes(label)) {
      return {
        ok: false,
        message: `"${label}" is not an option of "${project.name}" (${options})`,
      };
    }
    return { ok: true, value: label };
  }
  const set = [...new Set(typeof label === 'string' ? [label] : label)].sort();
  const unknown = set.filter((o) => !project.options.includes(o));
  if (unknown.length > 0) {
    const names = unknown.map((o) => `"${o}"`).join(', ');
    return {
      ok: false,
      message: `${names} not among the options of "${project.name}" (${options})`,
    };
  }
  return { ok: true, value: set };
}

/** The sample, when it is one of the project's; else the refusal. */
async function projectSample(tx: Tx, project: DbProjectRow, sampleId: number) {
  const sample = await getSampleById({ tx, id: sampleId });
  if (!sample) return refuse(404, `no sample ${String(sampleId)}`);
  if (sample.project_id !== project.id) {
    return refuse(400, `sample ${String(sampleId)} is not an image of "${project.name}"`);
  }
  return { ok: true, value: sample } as const;
}

/**
 * Appends a decision. `previous` is the final label in force just before it (a review's, a gold
 * answer's or the labellers'), read before the insert: the reviewer sees what they replaced.
 */
export async function recordReview(
  tx: Tx,
  project: DbProjectRow,
  sampleId: number,
  decision: ReviewDecision,
): Promise<ReviewOutcome<ReviewRecorded>> {
  const sample = await projectSample(tx, project, sampleId);
  if (!sample.ok) return sample;
  const label = checkedLabel(project, decision.label);
  if (!label.ok) return refuse(400, label.message);
  const previous = (await finalLabelOf(tx, project, sampleId)).label;
  const row = await insertLabelReview({
    tx,
    projectId: project.id,
    sampleId,
    reviewer: decision.reviewer ?? DEFAULT_REVIEWER,
    value: label.value,
  });
  return { ok: true, value: { ...entryOf(row), previous } };
}

/** Every decision on the sample, oldest first. */
export async function reviewHistory(
  tx: Tx,
  project: DbProjectRow,
  sampleId: number,
): Promise<ReviewOutcome<ReviewEntry[]>> {
  const sample = await projectSample(tx, project, sampleId);
  if (!sample.ok) return sample;
  const rows = await listLabelReviews({ tx, projectId: project.id, sampleId });
  return { ok: true, value: rows.map(entryOf) };
}
