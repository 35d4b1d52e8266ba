/**
 * What a model row's `metrics` holds: the orchestrator's evaluation on the held-out share and
 * how the model was trained and the queue ordered. The server reads it from Postgres and sends
 * it over HTTP (`/models`) and the socket (`model:updated`). Rows written before a key existed
 * lack it, so every key but `accuracy` is optional, and keys this schema does not name pass
 * through.
 */
import * as z from 'zod/mini';

const ClassMetricsSchema = z.looseObject({
  label: z.string(),
  precision: z.optional(z.number()),
  recall: z.optional(z.number()),
  f1: z.optional(z.number()),
  /** How many held-out samples truly have this label. */
  support: z.optional(z.int()),
});

export const ModelMetricsSchema = z.looseObject({
  /** Share of held-out samples predicted right (multi-label: the whole set); null: none held out. */
  accuracy: z.nullable(z.number()),
  /**
   * Held-out samples the accuracy was measured on: at training, or more once a later retrain
   * measured this version again on the grown held-out share (`reevaluatedAt`).
   */
  evaluatedOn: z.optional(z.int()),
  /** When a later retrain last measured this version again (ISO time). */
  reevaluatedAt: z.optional(z.string()),
  /** Why this version cannot be measured again (its figures stay as they were). */
  reevaluationFailed: z.optional(z.string()),
  /** 95% Wilson interval of the accuracy. */
  accuracyInterval: z.optional(z.nullable(z.tuple([z.number(), z.number()]))),
  macroF1: z.optional(z.nullable(z.number())),
  perClass: z.optional(z.array(ClassMetricsSchema)),
  /** confusion[truth][predicted] in the order of perClass; null for multi-label projects. */
  confusion: z.optional(z.nullable(z.array(z.array(z.number())))),
  /** Labelled samples the model was trained on. */
  trainedOn: z.optional(z.int()),
  epochs: z.optional(z.int()),
  /** The TensorFlow.js backend that trained it (`wasm`, `tensorflow`, …). */
  backend: z.optional(z.string()),
  architecture: z.optional(z.string()),
  trainingMs: z.optional(z.number()),
  evaluationMs: z.optional(z.number()),
  /** Reasons to read the figures with care (too few held-out labels, undecodable images). */
  warnings: z.optional(z.array(z.string())),
  /** Milliseconds per phase of the retrain that produced it. */
  durationsMs: z.optional(z.record(z.string(), z.number())),
  /** Unlabelled samples the model scored and ordered. */
  poolSize: z.optional(z.int()),
  /** Samples selection placed at the head of the queue. */
  selected: z.optional(z.int()),
  /** Samples labellers took while it trained, which selection spread the new picks from. */
  takenDuringRetrain: z.optional(z.int()),
  /** The acquisition function that scored uncertainty. */
  acquisition: z.optional(z.string()),
  /** Which model's probabilities uncertainty was scored on: `model` or `unshifted scorer`. */
  uncertaintyScoredBy: z.optional(z.string()),
  /** Exponent uncertainty had in the ordering weights (0: typical picks only). */
  uncertaintyStrength: z.optional(z.number()),
  /** Where k-center measured distance: `pool` (the pool embedding) or `model` (its layer). */
  diversitySpace: z.optional(z.string()),
  /** Share of the open pool where it predicts what the model before it did; null: unknown. */
  agreement: z.optional(z.nullable(z.number())),
  /** Share of pixel variance the pool embedding held (PCA); null for a backbone. */
  embeddingExplained: z.optional(z.nullable(z.number())),
  /** The pool embedder's key: name, version, model digest. */
  embedder: z.optional(z.string()),
});
export type ModelMetrics = z.infer<typeof ModelMetricsSchema>;

/**
 * A models row's stored metrics, checked against the contract. A model that was never
 * evaluated has no `accuracy` key: it reads as null. Throws on a named key of the wrong type.
 */
export function parseModelMetrics(stored: Record<string, unknown>): ModelMetrics {
  return ModelMetricsSchema.parse({ accuracy: null, ...stored });
}
