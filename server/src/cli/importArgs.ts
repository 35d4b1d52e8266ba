import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ProjectSpec } from '../importer/ensureProject';
import type { ImageSettings } from '../importer/importFolder';
import { ImagePageTextSchema, ThumbnailSuffixSchema } from '@al/media';

export const IMPORT_USAGE = `usage: npm run import -- --project NAME --labels a,b,c [--multi-label] [--labels-per-sample K]
         [--process-all] [--delivery proxy|presign] [--thumbnail-suffix SUFFIX] [--page N|max]
         <folder | s3://bucket/prefix>

  --project NAME            project to import into (created when missing)
  --labels a,b,c            label options, in button order; must match an existing project's
  --multi-label             labellers may pick several options per image
  --labels-per-sample K     how many different labellers should label each image (default 1)
  <folder>                  folder searched recursively for png, jpg, gif, tif, webp and bmp files
  s3://bucket/prefix        or the objects under an S3 prefix with those extensions; credentials,
                            AWS_REGION and AWS_ENDPOINT_URL_S3 come from the standard AWS chain,
                            S3_FORCE_PATH_STYLE=true for MinIO-like stores; needs s3:ListBucket
                            and s3:GetObject. Re-running imports only objects not imported yet.
  --process-all             re-read every object, also those imported before (updates changed ones)
  --delivery proxy|presign  how the image route serves this project: proxy (read, resize, cache on
                            the server; the default) or presign (redirect to a presigned S3 URL)
  --thumbnail-suffix S      write resized thumbnails next to the originals under this suffix and
                            read them from there: _thumb, .thumb.webp or a Lightly template such
                            as .lightly/thumbnails/[filename]_thumb.[extension]; writing needs
                            s3:PutObject (without it images are still served); "none" turns it off
  --page N|max              of multi-page images (TIFF stacks, OME-TIFF planes): the page shown and
                            learnt from, 0 the first (the default), or max for the maximum-intensity
                            projection over the pages the size of the first`;

const LABELS_PER_SAMPLE_RANGE = '--labels-per-sample must be a whole number from 1 to 100';

const ImportArgsSchema = z
  .object({
    project: z.string({ error: '--project is required' }).trim().min(1).max(100),
    labels: z
      .string({ error: '--labels is required' })
      .transform((s) =>
        s
          .split(',')
          .map((label) => label.trim())
          .filter((label) => label.length > 0),
      )
      .refine((labels) => new Set(labels).size === labels.length, 'labels must be distinct'),
    'multi-label': z.boolean().optional(),
    'labels-per-sample': z.coerce
      .number({ error: LABELS_PER_SAMPLE_RANGE })
      .int(LABELS_PER_SAMPLE_RANGE)
      .min(1, LABELS_PER_SAMPLE_RANGE)
      .max(100, LABELS_PER_SAMPLE_RANGE)
      .optional(),
    folders: z.array(z.string()).length(1, 'give exactly one folder or s3:// prefix'),
    'process-all': z.boolean().optional(),
    delivery: z
      .enum(['proxy', 'presign'], { error: '--delivery must be proxy or presign' })
      .optional(),
    'thumbnail-suffix': z
      .literal('none')
      .transform(() => null)
      .or(ThumbnailSuffixSchema)
      .optional(),
    page: ImagePageTextSchema.optional(),
  })
  .refine((a) => a.labels.length >= (a['multi-label'] ? 1 : 2), {
    message: 'a single-label project needs at least two labels',
    path: ['labels'],
  });

export interface ImportArgs {
  project: ProjectSpec;
  /** A local folder or an s3://bucket/prefix URI. */
  folder: string;
  processAll: boolean;
  /** Only what was given on the command line; unset keeps the project's current setting. */
  imageSettings: ImageSettings;
}

export type ParsedImportArgs =
  { help: true } | { help: false; args: ImportArgs } | { error: string };

/** Reads the command line once into a project spec and a folder, or says what is wrong. */
export function parseImportArgs(argv: string[]): ParsedImportArgs {
  let raw: ReturnType<typeof parseTokens>;
  try {
    raw = parseTokens(argv);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (raw.values.help) return { help: true };
  const parsed = ImportArgsSchema.safeParse({ ...raw.values, folders: raw.positionals });
  if (!parsed.success) {
    // The suffix rules are shared with the settings API, so their messages do not name the flag.
    const named = (i: z.core.$ZodIssue) =>
      i.path[0] === 'thumbnail-suffix' || i.path[0] === 'page'
        ? `--${i.path[0]} ${i.message}`
        : i.message;
    return { error: parsed.error.issues.map(named).join('; ') };
  }
  const a = parsed.data;
  const [folder = ''] = a.folders;
  return {
    help: false,
    args: {
      project: {
        name: a.project,
        options: a.labels,
        multiLabel: a['multi-label'],
        labelsPerSample: a['labels-per-sample'],
      },
      folder,
      processAll: a['process-all'] ?? false,
      imageSettings: {
        ...(a.delivery !== undefined && { delivery: a.delivery }),
        ...(a['thumbnail-suffix'] !== undefined && { thumbnailSuffix: a['thumbnail-suffix'] }),
        ...(a.page !== undefined && { page: a.page }),
      },
    },
  };
}

function parseTokens(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: 'string' },
      labels: { type: 'string' },
      'multi-label': { type: 'boolean' },
      'labels-per-sample': { type: 'string' },
      'process-all': { type: 'boolean' },
      delivery: { type: 'string' },
      'thumbnail-suffix': { type: 'string' },
      page: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
