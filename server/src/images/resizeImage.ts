import sharp from 'sharp';
import { decodeBmpToRgb, isBmp } from './decodeBmp';

export interface ResizedImage {
  body: Buffer;
  contentType: 'image/png' | 'image/jpeg';
}

/**
 * Fits the image inside size×size without enlarging it (the UI scales small images up with
 * pixelated rendering, which keeps MNIST digits crisp and tiny on the wire). Lossless sources
 * (PNG, BMP, GIF) stay PNG; photos become JPEG.
 */
export async function resizeImage(original: Buffer, size: number): Promise<ResizedImage> {
  let input: sharp.Sharp;
  let lossless: boolean;
  if (isBmp(original)) {
    const { width, height, rgb } = decodeBmpToRgb(original);
    input = sharp(rgb, { raw: { width, height, channels: 3 } });
    lossless = true;
  } else {
    input = sharp(original, { limitInputPixels: 100_000_000 });
    const { format } = await input.metadata();
    lossless = format === 'png' || format === 'gif';
  }
  const resized = input.rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true });
  if (lossless) {
    return { body: await resized.png().toBuffer(), contentType: 'image/png' };
  }
  return { body: await resized.jpeg({ quality: 82 }).toBuffer(), contentType: 'image/jpeg' };
}
