/**
 * Brightness, contrast and gamma of the image on screen, as a labeller sets them for faint or
 * washed-out images. They change only what this browser draws (a CSS filter), never the image
 * the model sees, and are remembered per labeller name in this browser.
 */
import * as z from 'zod/mini';

export interface Adjustments {
  /** Multiplier of every channel (CSS brightness()). */
  brightness: number;
  /** Spread around mid-grey (CSS contrast()). */
  contrast: number;
  /** Exponent of each channel in 0..1: below 1 lifts the shadows, above 1 deepens them. */
  gamma: number;
}

export const NEUTRAL: Adjustments = { brightness: 1, contrast: 1, gamma: 1 };

/** Bounds and keyboard step of each slider. */
export const RANGES: Record<keyof Adjustments, { min: number; max: number; step: number }> = {
  brightness: { min: 0.2, max: 4, step: 0.1 },
  contrast: { min: 0.2, max: 4, step: 0.1 },
  gamma: { min: 0.2, max: 3, step: 0.1 },
};

const StoredSchema = z.object({
  brightness: z.number(),
  contrast: z.number(),
  gamma: z.number(),
});

/** Each value inside its slider's bounds, rounded to its step's precision. */
export function clampAdjustments(a: Adjustments): Adjustments {
  const clamp = (k: keyof Adjustments) =>
    Math.round(Math.min(RANGES[k].max, Math.max(RANGES[k].min, a[k])) * 100) / 100;
  return { brightness: clamp('brightness'), contrast: clamp('contrast'), gamma: clamp('gamma') };
}

/** One keyboard step of one slider, up (+1) or down (−1). */
export function stepAdjustment(a: Adjustments, key: keyof Adjustments, dir: 1 | -1): Adjustments {
  return clampAdjustments({ ...a, [key]: a[key] + dir * RANGES[key].step });
}

export function isNeutral(a: Adjustments): boolean {
  return a.brightness === 1 && a.contrast === 1 && a.gamma === 1;
}

/** The CSS filter drawing `a`; `gammaFilterId` names the SVG filter holding the gamma curve. */
export function cssFilter(a: Adjustments, gammaFilterId: string): string | undefined {
  if (isNeutral(a)) return undefined;
  // Contrast first, around mid-grey; brightness then scales what it drew.
  const parts = [];
  if (a.contrast !== 1) parts.push(`contrast(${a.contrast})`);
  if (a.brightness !== 1) parts.push(`brightness(${a.brightness})`);
  if (a.gamma !== 1) parts.push(`url(#${gammaFilterId})`);
  return parts.join(' ');
}

const keyFor = (labeller: string) => `labeller.adjustments.${labeller}`;

export function loadAdjustments(labeller: string): Adjustments {
  try {
    const parsed = StoredSchema.safeParse(JSON.parse(localStorage.getItem(keyFor(labeller)) ?? ''));
    return parsed.success ? clampAdjustments(parsed.data) : NEUTRAL;
  } catch {
    return NEUTRAL;
  }
}

export function saveAdjustments(labeller: string, a: Adjustments): void {
  if (isNeutral(a)) localStorage.removeItem(keyFor(labeller));
  else localStorage.setItem(keyFor(labeller), JSON.stringify(a));
}
