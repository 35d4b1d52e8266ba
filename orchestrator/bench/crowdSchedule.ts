/**
 * The timing of a crowd for bench:al-arrays' `--schedule T:W[:S],…`: per model, the training
 * labels it was trained on (T), the hand-out at which its order reached the queue (W) and the
 * share of its default passes it trained for (S, default 1) — what bench:al prints for a crowd
 * run as "trainedOn T, broadcast at W labels".
 */
import { z } from 'zod';

export const scheduleOption = z.string().transform((s) =>
  s.split(',').map((step) => {
    const [trainedOn, broadcastAt, share] = step.split(':').map(Number);
    return z
      .object({
        trainedOn: z.number().int().min(1),
        broadcastAt: z.number().int().min(1),
        share: z.number().positive().max(1),
      })
      .parse({ trainedOn, broadcastAt, share: share ?? 1 });
  }),
);

/** The shortest prefix of `order` that holds `training` training (not held-out) positions. */
export function readHolding(
  order: readonly number[],
  heldOut: Uint8Array,
  training: number,
): number {
  let count = 0;
  for (let i = 0; i < order.length; i++) {
    if (count >= training) return i;
    if (!heldOut[order[i] ?? 0]) count++;
  }
  return order.length;
}
