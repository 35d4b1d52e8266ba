/** bench:al-arrays' --configs: named acquisition settings plus variants not (yet) in the product. */
import { parseAcquisitionSettings, type AcquisitionSettings } from '@al/contract';
import { z } from 'zod';

/**
 * A config's settings, plus variants tried before they become settings, each taking effect
 * once uncertainty counts: `_space: "badge"` picks by BADGE (badge.ts) instead of
 * planQueueOrder, `_diversity: "cold"` turns k-center off (top weights), `_ensemble: k` averages the probabilities of k models
 * trained from different seeds, `_passes: x` trains every model for x times its default epochs,
 * `_mc: T` scores uncertainty on the mean of T dropout passes (mcDropout.ts), `_shift: s`
 * trains with random shifts of up to s pixels (the product's unshifted scorer aside). From
 * `unshifted_scorer_per_class` on, the models train without shifts, as the product's scorer does;
 * `_scorer: "mix"` then averages a shifted and an unshifted model instead. With `--lag`,
 * `_cover: false` leaves the in-flight hand-outs out of k-center's centres (the product covers
 * them). `_typWarm: x` raises typicality to typicality_strength × (1 − u) + x × u instead of
 * typicality_strength: x once uncertainty (exponent u) has ramped in fully (0: it fades out).
 */
export interface Config {
  settings: AcquisitionSettings;
  coldDiversityOnly: boolean;
  badge: boolean;
  /** Models (seeds) whose probabilities are averaged for uncertainty; the first one's embedding is used. */
  ensemble: number;
  /** Multiplies epochsFor(labels). */
  passes: number;
  /** Dropout passes averaged for uncertainty (mcDropout.ts); 0: the model's plain prediction. */
  mcPasses: number;
  /** Random shifts in training, in pixels; undefined: the product's (augment.ts). */
  maxShift?: number;
  /** Once the unshifted scorer applies: average a shifted and an unshifted model. */
  mixScorer: boolean;
  /** k-center's centres include the hand-outs taken since the labels were read (--lag). */
  coverTaken: boolean;
  /** Typicality's exponent once uncertainty's is 1; undefined: typicality_strength throughout. */
  warmTypicality?: number;
}
export function parseLoopConfigs(raw: Record<string, unknown>): Record<string, Config> {
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      const { _space, _ensemble, _passes, _mc, _shift, _scorer, _cover, _typWarm, ...rest } = z
        .object({
          _space: z.enum(['pool', 'badge']).default('pool'),
          _diversity: z.enum(['always', 'cold']).default('always'),
          _ensemble: z.number().int().min(1).default(1),
          _passes: z.number().positive().default(1),
          _mc: z.number().int().min(0).default(0),
          _shift: z.number().int().min(0).optional(),
          _scorer: z.enum(['unshifted', 'mix']).default('unshifted'),
          _cover: z.boolean().default(true),
          _typWarm: z.number().min(0).optional(),
        })
        .loose()
        .parse(value);
      const { _diversity, ...settings } = rest;
      return [
        name,
        {
          settings: parseAcquisitionSettings(settings),
          coldDiversityOnly: _diversity === 'cold',
          badge: _space === 'badge',
          ensemble: _ensemble,
          passes: _passes,
          mcPasses: _mc,
          maxShift: _shift,
          mixScorer: _scorer === 'mix',
          coverTaken: _cover,
          warmTypicality: _typWarm,
        },
      ];
    }),
  );
}
