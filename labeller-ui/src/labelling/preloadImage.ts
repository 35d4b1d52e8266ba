import type { SampleForLabelling } from '../../../server/src/contract/events';

/** A sample with its image URL at the chosen size, already downloaded and decoded. */
export interface ShownSample {
  sample: SampleForLabelling;
  src: string;
  naturalWidth: number;
  naturalHeight: number;
}

/** Server-side sizes we ask for; few distinct sizes keep the server's resize cache warm. */
const SIZE_STEPS = [256, 384, 512, 768, 1024];

/** The image size (px) that fills the image area at this device's pixel density. */
export function imageSizeForViewport(width: number, height: number, dpr: number): number {
  const wanted = Math.min(width, height) * dpr;
  return SIZE_STEPS.find((s) => s >= wanted) ?? 1024;
}

/**
 * Downloads and decodes the image before the sample is shown, so showing it costs no network
 * and no decode. A failed image still resolves: the page shows the broken image and the
 * labeller can skip it.
 */
export async function preloadImage(sample: SampleForLabelling, size: number): Promise<ShownSample> {
  const src = `${sample.imageUrl}?size=${size}`;
  const img = new Image();
  img.src = src;
  try {
    await img.decode();
  } catch {
    // decode() rejects for broken images; the <img> element will show that state.
  }
  return { sample, src, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight };
}
