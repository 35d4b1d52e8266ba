/** bench:al-arrays' --configs: named acquisition settings plus variants not (yet) in the product. */
import { parseAcquisitionSettings, type AcquisitionSettings } from '@al/contract';
import { z } from 'zod';

/**
 * A config's settings, plus variants tried before they become settings, each taking effect
 * once uncertainty counts: `_space: "model"` runs k-center on the model's embedding layer,
 * `_space: "badge"` picks by BADGE (badge.ts) instead of planQueueOrder, `_diversity: "cold"`
 * turns k-center off (top weights), `_ensemble: k` averages the probabilities of k models
 * trained from different seeds, `_passes: x` trains every model for x times its default epochs.
 */
export interface Config {
  settings: AcquisitionSettings;
  modelSpace: boolean;
  coldDiversityOnly: boolean;
  badge: boolean;
  /** Models (seeds) whose probabilities are averaged for uncertainty; the first one's embedding is used. */
  ensemble: number;
  /** Multiplies epochsFor(labels). */
  passes: number;
}
export function parseLoopConfigs(raw: Record<string, unknown>): Record<string, Config> {
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => {
      const { _space, _ensemble, _passes, ...rest } = z
        .object({
          _space: z.enum(['pool', 'model', 'badge']).default('pool'),
          _diversity: z.enum(['always', 'cold']).default('always'),
          _ensemble: z.number().int().min(1).default(1),
          _passes: z.number().positive().default(1),
        })
        .loose()
        .parse(value);
      const { _diversity, ...settings } = rest;
      return [
        name,
        {
          settings: parseAcquisitionSettings(settings),
          modelSpace: _space === 'model',
          coldDiversityOnly: _diversity === 'cold',
          badge: _space === 'badge',
          ensemble: _ensemble,
          passes: _passes,
        },
      ];
    }),
  );
}
