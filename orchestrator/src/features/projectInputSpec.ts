/**
 * The input size of a project: projects.input_spec when set (by an admin, or by an earlier
 * retrain), else derived from its first images (inputSpec.ts, deriveInputSpec) and stored,
 * so it never changes under the project's models by itself.
 */
import { listFirstSamples, setProjectInputSpecIfUnset, type Tx } from '@al/db';
import type { Logger } from 'pino';
import { z } from 'zod';
import { imagePageOfColumn, openImage, type ImagePage } from '@al/media';
import { deriveInputSpec, inputSpecSchema, type ImageShape, type InputSpec } from './inputSpec';
import type { SampleReader } from './sampleReader';

/** How many of the first images decide the default. */
const SAMPLED_IMAGES = 16;
/** JPEG chroma noise on a grey image stays well under this (0..255 per channel). */
const GREY_TOLERANCE = 12;

/** Whether an image is grey: a 16×16 RGB thumbnail with every pixel's R, G, B within tolerance. */
async function isGrey(bytes: Buffer, page: ImagePage): Promise<boolean> {
  const image = await openImage(bytes, page, 16);
  const { data, info } = await image
    .flatten({ background: '#000000' })
    .resize(16, 16, { fit: 'fill' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels < 3) return true;
  for (let i = 0; i < data.length; i += info.channels) {
    const r = data[i] ?? 0;
    const g = data[i + 1] ?? 0;
    const b = data[i + 2] ?? 0;
    if (Math.max(r, g, b) - Math.min(r, g, b) > GREY_TOLERANCE) return false;
  }
  return true;
}

export function parseInputSpec(raw: unknown): InputSpec {
  const result = inputSpecSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(`invalid projects.input_spec:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** The spec decoding `page`: the key of a first-page spec stays what it was before pages. */
function onPage({ width, height, channels }: InputSpec, page: ImagePage): InputSpec {
  return page === 0 ? { width, height, channels } : { width, height, channels, page };
}

/** The project's input size and page (projects.image_page, which wins over input_spec's). */
export async function resolveProjectInputSpec(args: {
  knex: Tx;
  project: { id: number; input_spec: unknown; image_page: string };
  reader: SampleReader;
  logger: Logger;
}): Promise<InputSpec> {
  const page = imagePageOfColumn(args.project.image_page);
  return onPage(await resolveInputSize(args, page), page);
}

async function resolveInputSize(
  {
    knex,
    project,
    reader,
    logger,
  }: {
    knex: Tx;
    project: { id: number; input_spec: unknown };
    reader: SampleReader;
    logger: Logger;
  },
  page: ImagePage,
): Promise<InputSpec> {
  if (project.input_spec !== null) return parseInputSpec(project.input_spec);
  const samples = await listFirstSamples({
    tx: knex,
    projectId: project.id,
    limit: SAMPLED_IMAGES,
  });
  const shapes: ImageShape[] = [];
  for (const s of samples) {
    try {
      shapes.push({
        width: s.width,
        height: s.height,
        grey: await isGrey(await reader.read(s.source_uri), page),
      });
    } catch (err) {
      logger.warn({ sampleId: s.id, err }, 'could not read a sample to derive the input size');
    }
  }
  // No image yet: keep the project unset so its first real images decide.
  if (shapes.length === 0) return deriveInputSpec([]);
  const derived = deriveInputSpec(shapes);
  const stored = await setProjectInputSpecIfUnset({
    tx: knex,
    projectId: project.id,
    inputSpec: derived,
  });
  const spec = parseInputSpec(stored);
  logger.info(
    { inputSpec: spec, fromImages: shapes.length },
    'project input size derived from its images',
  );
  return spec;
}
