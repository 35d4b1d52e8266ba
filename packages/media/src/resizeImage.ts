import sharp from 'sharp';
import { decodeBmp, looksLikeBmp } from './bmp';
import { DEFAULT_IMAGE_PAGE, type ImagePage } from './imagePage';
import { openPage } from './openPage';
import type { ThumbnailFormat } from './thumbnailPath';

const SHARP_OPTIONS = { limitInputPixels: 100_000_000 } as const;

export interface ResizedImage {
  body: Buffer;
  contentType: 'image/png' | 'image/jpeg' | 'image/webp';
}

/**
 * Fits the image inside size×size without enlarging it (the UI scales small images up with
 * pixelated rendering, which keeps MNIST digits crisp and tiny on the wire). Lossless sources
 * (PNG, BMP, GIF) stay PNG; photos become JPEG; `format` overrides that (thumbnails written
 * under a suffix with its own extension). Images wider than 8 bits are stretched per channel
 * first (stretchImage.ts), as the model's features are; 8-bit ones resize exactly as before. Of
 * a multi-page image, the project's `page` is shown (openPage.ts).
 */
export async function resizeImage(
  original: Buffer,
  size: number,
  format?: ThumbnailFormat,
  page: ImagePage = DEFAULT_IMAGE_PAGE,
): Promise<ResizedImage> {
  let input: sharp.Sharp;
  let lossless: boolean;
  if (looksLikeBmp(original)) {
    // libvips cannot read BMP: decode to raw RGBA (the importer's checked decoder) for sharp.
    const { width, height, rgba } = decodeBmp(original);
    input = sharp(rgba, { raw: { width, height, channels: 4 } });
    lossless = true;
  } else {
    const meta = await sharp(original, SHARP_OPTIONS).metadata();
    lossless = meta.format === 'png' || meta.format === 'gif';
    input = await openPage(original, meta, page, SHARP_OPTIONS, size);
  }
  const resized = input.resize(size, size, { fit: 'inside', withoutEnlargement: true });
  switch (format ?? (lossless ? 'png' : 'jpeg')) {
    case 'png':
      return { body: await resized.png().toBuffer(), contentType: 'image/png' };
    case 'jpeg':
      return { body: await resized.jpeg({ quality: 82 }).toBuffer(), contentType: 'image/jpeg' };
    case 'webp':
      return { body: await resized.webp({ quality: 82 }).toBuffer(), contentType: 'image/webp' };
  }
}
