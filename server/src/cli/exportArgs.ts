import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ExportMode } from '../exporter/folderExport';

export const EXPORT_USAGE = `usage: npm run export -- --project NAME --out FOLDER [--copy] [--min-confidence C]

  --project NAME        the project whose final labels (one per image: Dawid–Skene over every
                        answer in force, as GET …/labels?view=final) are exported
  --out FOLDER          a new or empty folder; gets <label>/<id>-<file> for every labelled image
                        and manifest.csv (path,uri,label,confidence,answers)
  --copy                copy the images (S3 objects are downloaded); by default local images
                        are symlinked and S3 objects are listed in manifest.csv by URI only
  --min-confidence C    leave out images whose final label's confidence is below C (0..1)`;

const ExportArgsSchema = z.object({
  project: z.string({ error: '--project is required' }).trim().min(1).max(100),
  out: z.string({ error: '--out is required' }).min(1),
  copy: z.boolean().optional(),
  'min-confidence': z.coerce
    .number({ error: '--min-confidence must be a number from 0 to 1' })
    .min(0, '--min-confidence must be a number from 0 to 1')
    .max(1, '--min-confidence must be a number from 0 to 1')
    .optional(),
});

export interface ExportArgs {
  project: string;
  out: string;
  mode: ExportMode;
  minConfidence: number;
}

export type ParsedExportArgs =
  { help: true } | { help: false; args: ExportArgs } | { error: string };

export function parseExportArgs(argv: string[]): ParsedExportArgs {
  let values: ReturnType<typeof parseTokens>['values'];
  try {
    values = parseTokens(argv).values;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { help: true };
  const parsed = ExportArgsSchema.safeParse(values);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join('; ') };
  const a = parsed.data;
  return {
    help: false,
    args: {
      project: a.project,
      out: a.out,
      mode: a.copy ? 'copy' : 'symlink',
      minConfidence: a['min-confidence'] ?? 0,
    },
  };
}

function parseTokens(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      project: { type: 'string' },
      out: { type: 'string' },
      copy: { type: 'boolean' },
      'min-confidence': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
