/**
 * Per-project acquisition settings: the `projects.acquisition` jsonb, parsed once here.
 * Every key is optional in the row; a missing one takes the default below, an unknown or
 * out-of-range one is rejected (a typo must not silently fall back to a default).
 */
import { z } from 'zod';
import { ACQUISITION_FUNCTION_NAMES } from './acquisitionFunctions';

export const acquisitionSettingsSchema = z
  .strictObject({
    /**
     * How uncertainty is scored (see uncertainty.ts). Margin by default: ahead of entropy at
     * every budget in bench:al (MNIST, 5 seeds: 76.7% vs 69.8% at 100 labels, 88.5% vs 84.0%
     * at 200, 93.5% vs 92.8% at 500), where entropy is even behind random early on.
     */
    function: z.enum(ACQUISITION_FUNCTION_NAMES).default('margin'),
    /** k-center greedy over the most uncertain candidates; false: top scores only. */
    diversity: z.boolean().default(true),
    /**
     * Stop selecting when the farthest remaining candidate is nearer than this to a centre
     * (unit-length embeddings, 0..2). 0.05 only removes near-duplicates.
     */
    min_distance: z.number().min(0).max(2).default(0.05),
    /** How many samples selection places at the head of the queue per retrain. */
    n_samples: z.int().min(1).default(200),
    /** How many of the most uncertain samples k-center chooses from. */
    candidate_pool: z.int().min(1).default(5000),
    /** Share of rank positions permuted at random, against sampling bias. */
    shuffle_prop: z.number().min(0).max(1).default(0.1),
    /** Pull the selection's predicted-class distribution toward uniform (single-label, with diversity). */
    class_balance: z.boolean().default(false),
    /** Retrain after this many new labels... */
    retrain_every_labels: z.int().min(1).default(50),
    /** ...or after this many seconds when there is at least one new label. */
    retrain_every_seconds: z.number().positive().default(300),
    /** Below this many labels there is no model: the cold-start order applies. */
    min_labels_for_model: z.int().min(1).default(20),
  })
  .refine((s) => s.candidate_pool >= s.n_samples, {
    message: 'candidate_pool must be at least n_samples',
    path: ['candidate_pool'],
  });

export type AcquisitionSettings = z.infer<typeof acquisitionSettingsSchema>;

export class AcquisitionSettingsError extends Error {
  override readonly name = 'AcquisitionSettingsError';
}

/** Parses `projects.acquisition` (null or `{}` gives every default). */
export function parseAcquisitionSettings(raw: unknown): AcquisitionSettings {
  const result = acquisitionSettingsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new AcquisitionSettingsError(
      `invalid acquisition settings:\n${z.prettifyError(result.error)}`,
      { cause: result.error },
    );
  }
  return result.data;
}
