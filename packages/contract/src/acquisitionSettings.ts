/**
 * Per-project acquisition settings: the `projects.acquisition` jsonb, parsed once here.
 * Every key is optional in the row; a missing one takes the default below, an unknown or
 * out-of-range one is rejected (a typo must not silently fall back to a default).
 */
import * as z from 'zod/mini';
import { ACQUISITION_FUNCTION_NAMES } from './acquisitionFunctions';

/** The range of each bounded numeric setting; the admin form offers the same ranges. */
export const ACQUISITION_SETTING_BOUNDS = {
  /** Unit-length embeddings are at most 2 apart. */
  min_distance: { min: 0, max: 2 },
  n_samples: { min: 1 },
  candidate_pool: { min: 1 },
  typicality_strength: { min: 0, max: 4 },
  uncertainty_after_per_class: { min: 0, max: 10_000 },
  uncertainty_full_per_class: { min: 0, max: 10_000 },
  uncertainty_after_agreement: { min: 0, max: 1 },
  uncertainty_full_agreement: { min: 0, max: 1 },
  unshifted_scorer_per_class: { min: 0, max: 10_000 },
  shuffle_prop: { min: 0, max: 1 },
  retrain_every_labels: { min: 1 },
  min_labels_for_model: { min: 1 },
} as const;

const B = ACQUISITION_SETTING_BOUNDS;
const between = (bounds: { min: number; max: number }) =>
  z.number().check(z.gte(bounds.min), z.lte(bounds.max));
const atLeast = (bounds: { min: number }) => z.int().check(z.gte(bounds.min));

/** When selection balances the predicted classes. */
export const CLASS_BALANCE_MODES = ['off', 'cold', 'always'] as const;
export type ClassBalanceMode = (typeof CLASS_BALANCE_MODES)[number];

/** Where k-center measures distance once uncertainty plays a part. */
export const DIVERSITY_SPACES = ['model', 'pool', 'both'] as const;
export type DiversitySpace = (typeof DIVERSITY_SPACES)[number];

/** How the pool is embedded before any label; the orchestrator registers one embedder per name. */
export const EMBEDDER_NAMES = ['pca', 'tfjs-model', 'onnx-model'] as const;
export type EmbedderName = (typeof EMBEDDER_NAMES)[number];

/** What the classifier is trained on: the pixels, or the pretrained embedder's features. */
export const CLASSIFIER_INPUTS = ['pixels', 'backbone'] as const;
export type ClassifierInput = (typeof CLASSIFIER_INPUTS)[number];

/** An absolute path on the orchestrator's machine, or an http(s) or file URL. */
const modelLocation = z.string().check(
  z.minLength(1),
  z.maxLength(2048),
  z.refine((s) => s.startsWith('/') || /^(https?|file):\/\//i.test(s), {
    message: 'must be an absolute path or an http(s):// or file:// URL',
  }),
);

export const acquisitionSettingsSchema = z
  .strictObject({
    /** How uncertainty is scored. Margin by default: it chose better samples than entropy. */
    function: z._default(z.enum(ACQUISITION_FUNCTION_NAMES), 'margin'),
    /** k-center greedy over the most uncertain candidates; false: top scores only. */
    diversity: z._default(z.boolean(), true),
    /**
     * Stop selecting when the farthest remaining candidate is nearer than this to a centre.
     * 0.05 only removes near-duplicates.
     */
    min_distance: z._default(between(B.min_distance), 0.05),
    /**
     * How many samples selection places at the head of the queue per retrain: enough to
     * cover what a crowd labels before the next model arrives.
     */
    n_samples: z._default(atLeast(B.n_samples), 1000),
    /** Exponent of typicality (density in the pool embedding) in the selection weight. */
    typicality_strength: z._default(between(B.typicality_strength), 0.5),
    /** Below this many labels per class uncertainty plays no part: typical picks only. */
    uncertainty_after_per_class: z._default(between(B.uncertainty_after_per_class), 5),
    /** From this many labels per class on, the weight is uncertainty × typicality. */
    uncertainty_full_per_class: z._default(between(B.uncertainty_full_per_class), 20),
    /**
     * Agreement: the share of the open pool on which the new model predicts the class the
     * previous one did. At or below this, uncertainty plays no part whatever the labels per
     * class (a model that still changes its mind this much is not worth asking)...
     */
    uncertainty_after_agreement: z._default(between(B.uncertainty_after_agreement), 0),
    /** ...and from this agreement on, the per-class ramp alone decides. 0 and 0: no gate. */
    uncertainty_full_agreement: z._default(between(B.uncertainty_full_agreement), 0),
    /**
     * From this many labels per class on, uncertainty is scored by a second model trained on
     * the labelled images as they are, beside the project's model (trained on shifted copies,
     * which make it the better classifier); 10000: never. Below it, the project's model scores.
     */
    unshifted_scorer_per_class: z._default(between(B.unshifted_scorer_per_class), 10),
    /**
     * Where k-center measures distance once uncertainty plays a part: the embedding layer of
     * the model that scores uncertainty ('model'), which separates what the classes need, or
     * the pool embedding ('pool'), or both at once ('both': a pair is close only when close in
     * both). While uncertainty plays no part, always the pool embedding.
     */
    diversity_space: z._default(z.enum(DIVERSITY_SPACES), 'model'),
    /** How many of the most uncertain samples k-center chooses from. */
    candidate_pool: z._default(atLeast(B.candidate_pool), 5000),
    /** Share of rank positions permuted at random, against sampling bias. */
    shuffle_prop: z._default(between(B.shuffle_prop), 0.1),
    /**
     * Pull the selection's predicted-class distribution toward uniform (single-label, with
     * diversity): 'cold' while uncertainty plays no part, 'always', or 'off'. true and false
     * are read as 'always' and 'off'.
     */
    class_balance: z._default(
      z.pipe(
        z.union([z.enum(CLASS_BALANCE_MODES), z.boolean()]),
        z.transform((v): ClassBalanceMode => (v === true ? 'always' : v === false ? 'off' : v)),
      ),
      'cold',
    ),
    /** Retrain after this many new labels... */
    retrain_every_labels: z._default(atLeast(B.retrain_every_labels), 50),
    /** ...or after this many seconds when there is at least one new label. */
    retrain_every_seconds: z._default(z.number().check(z.positive()), 300),
    /** Below this many labels there is no model: the cold-start order applies. */
    min_labels_for_model: z._default(atLeast(B.min_labels_for_model), 20),
    /** The pool embedding: PCA of the pixels, or a pretrained backbone (needs embedder_model). */
    embedder: z._default(z.enum(EMBEDDER_NAMES), 'pca'),
    /** The backbone: a TF.js model.json (or its folder) or an .onnx file, by path or URL. */
    embedder_model: z._default(z.nullable(modelLocation), null),
    /** Embed with this layer (layers model), node (graph model) or output (ONNX); null: the output. */
    embedder_output: z._default(
      z.nullable(z.string().check(z.minLength(1), z.maxLength(200))),
      null,
    ),
    /**
     * Pixels are fed to a backbone as [0, 1] ('unit'), [-1, 1] ('symmetric') or 0-255 as they
     * are ('bytes': models that normalise inside, e.g. Keras applications, detectors).
     */
    embedder_input_range: z._default(z.enum(['unit', 'symmetric', 'bytes']), 'unit'),
    /**
     * What the project's classifier learns from: the pixels ('pixels'), or the backbone's
     * embedding of each image ('backbone': a small dense head on the backbone's features, which
     * sees what the backbone learnt from millions of images; needs a pretrained embedder).
     */
    classifier_input: z._default(z.enum(CLASSIFIER_INPUTS), 'pixels'),
  })
  .check(
    z.refine((s) => s.candidate_pool >= s.n_samples, {
      message: 'candidate_pool must be at least n_samples',
      path: ['candidate_pool'],
    }),
    z.refine((s) => s.embedder === 'pca' || s.embedder_model !== null, {
      message: 'embedder_model is required by a pretrained embedder',
      path: ['embedder_model'],
    }),
    z.refine((s) => s.classifier_input === 'pixels' || s.embedder !== 'pca', {
      message: "classifier_input 'backbone' needs a pretrained embedder (tfjs-model or onnx-model)",
      path: ['classifier_input'],
    }),
  );

export type AcquisitionSettings = z.infer<typeof acquisitionSettingsSchema>;

export class AcquisitionSettingsError extends Error {
  override readonly name = 'AcquisitionSettingsError';
}

/** zod/mini leaves messages to the caller (classic zod installs these globally when loaded). */
const ENGLISH_MESSAGES = { error: z.locales.en().localeError };

/** Parses `projects.acquisition` (null or `{}` gives every default). */
export function parseAcquisitionSettings(raw: unknown): AcquisitionSettings {
  const result = acquisitionSettingsSchema.safeParse(raw ?? {}, ENGLISH_MESSAGES);
  if (!result.success) {
    throw new AcquisitionSettingsError(
      `invalid acquisition settings:\n${z.prettifyError(result.error)}`,
      { cause: result.error },
    );
  }
  return result.data;
}
