/**
 * Image bytes → the model's input pixels. Decoding goes through the importer's `openImage`,
 * which also handles BMP (libvips cannot), applies the EXIF orientation and stretches images
 * wider than 8 bits (16-bit microscopy TIFFs) per channel exactly as the image server does for
 * display, and decodes the project's page of multi-page images, so the model sees what
 * labellers see.
 */
import { openImage } from '@al/media';
import { featureLength, type InputSpec } from './inputSpec';

/** Decodes, flattens any alpha onto black, resizes (stretching: no crop) to the spec. */
export async function decodeFeatures(image: Buffer, spec: InputSpec): Promise<Buffer> {
  let pipeline = (await openImage(image, spec.page, Math.max(spec.width, spec.height)))
    .flatten({ background: '#000000' })
    .resize(spec.width, spec.height, { fit: 'fill' });
  pipeline = spec.channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (data.length !== featureLength(spec) || info.channels !== spec.channels) {
    throw new Error(
      `decoded ${info.width}x${info.height}x${info.channels}, expected ${spec.width}x${spec.height}x${spec.channels}`,
    );
  }
  return data;
}
