import type { SampleForLabelling } from '@al/contract';
import { withLabellerToken } from './storedToken';

/** A sample with its image URL at the chosen size, already downloaded and decoded. */
export interface ShownSample {
  sample: SampleForLabelling;
  src: string;
  /** The `?size=` asked for: a picture that came back this big may have more pixels to fetch. */
  size: number;
  naturalWidth: number;
  naturalHeight: number;
}

/** Server-side sizes a sample is first shown at; few distinct sizes keep the resize cache warm. */
export const SIZE_STEPS = [256, 384, 512, 768, 1024] as const;
/** Sizes a zoomed image is fetched at, up to the most the server sends (4,096). */
export const ZOOM_SIZE_STEPS = [...SIZE_STEPS, 1536, 2048, 3072, 4096] as const;
/**
 * A download that fails (the network dropped for a moment) is tried again after these pauses
 * before the sample is shown broken; a stalled one is given up after DECODE_TIMEOUT_MS.
 */
const RETRY_PAUSES_MS = [300, 1_000, 2_000];
const DECODE_TIMEOUT_MS = 8_000;

/** The image size (px) that fills the image area at this device's pixel density. */
export function imageSizeForViewport(width: number, height: number, dpr: number): number {
  const wanted = Math.min(width, height) * dpr;
  return SIZE_STEPS.find((s) => s >= wanted) ?? 1024;
}

/** Loads and decodes one image; resolves with it, or undefined when it failed or stalled. */
export function decodeOnce(src: string): Promise<HTMLImageElement | undefined> {
  const img = new Image();
  img.src = src;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      img.src = ''; // abandon the stalled download
      resolve(undefined);
    }, DECODE_TIMEOUT_MS);
    img.decode().then(
      () => {
        clearTimeout(timer);
        resolve(img.naturalWidth > 0 ? img : undefined);
      },
      () => {
        // decode() rejects for a failed download and for a broken image alike.
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/**
 * Downloads and decodes the image before the sample is shown, so showing it costs no network
 * and no decode. A failed download is retried (a blip must not leave a broken image on screen);
 * one that keeps failing still resolves: the page shows the broken image and the labeller can
 * skip it.
 */
export async function preloadImage(sample: SampleForLabelling, size: number): Promise<ShownSample> {
  const src = withLabellerToken(`${sample.imageUrl}?size=${size}`);
  let img = await decodeOnce(src);
  for (const pause of RETRY_PAUSES_MS) {
    if (img) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    img = await decodeOnce(src);
  }
  return {
    sample,
    src,
    size,
    naturalWidth: img?.naturalWidth ?? 0,
    naturalHeight: img?.naturalHeight ?? 0,
  };
}
