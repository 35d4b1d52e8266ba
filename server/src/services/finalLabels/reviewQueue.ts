/**
 * The images whose final label is most likely wrong, for a reviewer to look at first. Each
 * image's final label (Dawid–Skene) is right with its confidence q; where the current model has
 * scored the image, its view is combined with the labellers' as a second, independent opinion:
 * it gives the final label probability m (its confidence when it predicts that label, at most
 * 1 − its confidence when it predicts another), and the label is right with
 * q·m / (q·m + (1 − q)(1 − m)). Disagreeing labellers, a lone answer from an unreliable labeller
 * and a confident model that says otherwise all raise the score. Images with a known answer in
 * force (a review, or a gold answer) are left out: a person has already decided them.
 */
import {
  listAnswersOfSamples,
  listKnownAnswers,
  listSamplePredictionsPage,
  type DbProjectRow,
  type LabelValue,
  type Tx,
} from '@al/db';
import type { ReviewCandidate } from '@al/contract';
import { keysetPages } from '../keysetPages';
import { finalLabelRows } from './finalLabelRows';

const PAGE_ROWS = 20_000;
/** Probabilities are kept off 0 and 1, so one opinion never overrules the other outright. */
const EPSILON = 1e-6;

const clamp = (p: number) => Math.min(1 - EPSILON, Math.max(EPSILON, p));

function sameLabel(a: LabelValue, b: LabelValue): boolean {
  const list = (v: LabelValue) => (Array.isArray(v) ? [...v].sort() : [v]);
  return JSON.stringify(list(a)) === JSON.stringify(list(b));
}

/** Probability that the final label is wrong, from its confidence and the model's view. */
export function wrongProbability(
  confidence: number,
  model: { agrees: boolean; confidence: number } | undefined,
): number {
  const q = clamp(confidence);
  if (!model) return 1 - q;
  const m = clamp(model.agrees ? model.confidence : 1 - model.confidence);
  return 1 - (q * m) / (q * m + (1 - q) * (1 - m));
}

export async function reviewCandidates(
  tx: Tx,
  project: DbProjectRow,
  limit: number,
): Promise<ReviewCandidate[]> {
  const predictions = new Map<number, { label: LabelValue; confidence: number }>();
  const pages = keysetPages(
    (afterId, pageLimit) =>
      listSamplePredictionsPage({ tx, projectId: project.id, afterId, limit: pageLimit }),
    PAGE_ROWS,
  );
  for await (const rows of pages) {
    for (const r of rows) {
      predictions.set(r.id, { label: r.predicted_label, confidence: r.predicted_confidence });
    }
  }
  const decided = new Set(
    (await listKnownAnswers({ tx, projectId: project.id })).map((k) => k.sample_id),
  );
  const scored: Omit<ReviewCandidate, 'votes'>[] = [];
  for await (const row of await finalLabelRows(tx, project)) {
    if (row.label === null || row.confidence === null || decided.has(row.sampleId)) continue;
    const prediction = predictions.get(row.sampleId);
    const score = wrongProbability(
      row.confidence,
      prediction && {
        agrees: sameLabel(prediction.label, row.label),
        confidence: prediction.confidence,
      },
    );
    scored.push({
      sampleId: row.sampleId,
      imageUrl: `/api/samples/${String(row.sampleId)}/image`,
      label: row.label,
      confidence: row.confidence,
      answers: row.answers,
      model: prediction ?? null,
      score,
    });
  }
  const top = scored.sort((a, b) => b.score - a.score || a.sampleId - b.sampleId).slice(0, limit);
  // Who said what, for the few images shown (the fit above needed every answer, not this).
  const answers = await listAnswersOfSamples({
    tx,
    projectId: project.id,
    sampleIds: top.map((c) => c.sampleId),
  });
  const votes = new Map<number, ReviewCandidate['votes']>();
  for (const a of answers) {
    const list = votes.get(a.sample_id) ?? [];
    list.push({ labeller: a.labeller, label: a.value });
    votes.set(a.sample_id, list);
  }
  return top.map((c) => ({ ...c, votes: votes.get(c.sampleId) ?? [] }));
}
