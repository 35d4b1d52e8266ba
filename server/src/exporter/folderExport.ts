/**
 * One final label per image as files a training script reads directly: `<out>/<label>/<file>`
 * (torchvision's ImageFolder, Keras' image_dataset_from_directory) plus `<out>/manifest.csv`
 * naming every exported image with its label (plain RFC 4180: read by code, so values are never
 * prefixed against spreadsheet formulas as the admin exports are). Local images are symlinked (or copied); S3
 * objects are downloaded with `copy`, else only listed in the manifest by URI, which is what a
 * bucket-reading loader wants. A multi-label image goes into each of its labels' folders.
 */
import { copyFile, mkdir, open, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FinalLabelRow } from '@al/contract';
import { createDatasource, isS3Uri, rootContaining, type Datasource } from '@al/media';
import { csvQuoted, valueText } from '../services/labelExportFormats';

export class ExportError extends Error {
  override name = 'ExportError';
}

export type ExportMode = 'symlink' | 'copy';

export interface FolderExportOptions {
  rows: AsyncIterable<FinalLabelRow> | Iterable<FinalLabelRow>;
  /** The project's source roots: S3 objects are read through the root that holds them. */
  sourceRoots: readonly string[];
  out: string;
  mode: ExportMode;
  /** Images whose final label is less certain than this are left out (0: none). */
  minConfidence: number;
  /** The S3 datasource of a root (tests and the CLI pass their client options). */
  datasourceFor?: (root: string) => Datasource;
}

export interface FolderExportSummary {
  /** Images written into at least one label folder. */
  written: number;
  /** S3 images listed in the manifest by URI only (symlink mode cannot link an object). */
  listedOnly: number;
  unlabelled: number;
  belowConfidence: number;
  perLabel: Map<string, number>;
}

export const MANIFEST_NAME = 'manifest.csv';
const MANIFEST_HEADER = 'path,uri,label,confidence,answers\n';

/**
 * A label as one folder name: separators and NUL become _, and names a file system reads as
 * something else ('', '.', '..', or one starting with '.') get a leading _.
 */
export function labelFolderName(label: string): string {
  const flat = label.replace(/[/\\\0]/g, '_');
  return flat === '' || flat.startsWith('.') ? `_${flat}` : flat;
}

/** The exported file's name: the sample id keeps names from different folders apart. */
function exportedFileName(row: FinalLabelRow): string {
  const base = isS3Uri(row.uri)
    ? row.uri.slice(row.uri.lastIndexOf('/') + 1)
    : path.basename(row.uri);
  return `${String(row.sampleId)}-${base}`;
}

async function requireEmptyFolder(out: string): Promise<void> {
  const entries = await readdir(out).catch((err: unknown) => {
    if ((err as { code?: unknown }).code === 'ENOENT') return [];
    throw err;
  });
  if (entries.length > 0) {
    throw new ExportError(`${out} is not empty: export into a new or empty folder`);
  }
  await mkdir(out, { recursive: true });
}

export async function exportToFolders(opts: FolderExportOptions): Promise<FolderExportSummary> {
  const out = path.resolve(opts.out);
  await requireEmptyFolder(out);
  const datasources = new Map<string, Datasource>();
  const datasourceFor = opts.datasourceFor ?? ((root: string) => createDatasource(root));
  const readS3 = (uri: string) => {
    const root = rootContaining(uri, opts.sourceRoots);
    if (root === undefined) throw new ExportError(`${uri} is under none of the project's roots`);
    let source = datasources.get(root);
    if (!source) {
      source = datasourceFor(root);
      datasources.set(root, source);
    }
    return source.read(uri);
  };
  const made = new Set<string>();
  const summary: FolderExportSummary = {
    written: 0,
    listedOnly: 0,
    unlabelled: 0,
    belowConfidence: 0,
    perLabel: new Map(),
  };
  const manifest = await open(path.join(out, MANIFEST_NAME), 'w');
  try {
    await manifest.write(MANIFEST_HEADER);
    for await (const row of opts.rows) {
      if (row.label === null) {
        summary.unlabelled++;
        continue;
      }
      if ((row.confidence ?? 0) < opts.minConfidence) {
        summary.belowConfidence++;
        continue;
      }
      const labels = Array.isArray(row.label) ? row.label : [row.label];
      const s3 = isS3Uri(row.uri);
      let firstPath = '';
      if (!s3 || opts.mode === 'copy') {
        const bytes = s3 ? await readS3(row.uri) : undefined;
        for (const label of labels) {
          const folder = labelFolderName(label);
          if (!made.has(folder)) {
            await mkdir(path.join(out, folder), { recursive: true });
            made.add(folder);
          }
          const relative = `${folder}/${exportedFileName(row)}`;
          const target = path.join(out, relative);
          if (bytes) await writeFile(target, bytes);
          else if (opts.mode === 'copy') await copyFile(row.uri, target);
          else await symlink(path.resolve(row.uri), target);
          firstPath ||= relative;
          summary.perLabel.set(label, (summary.perLabel.get(label) ?? 0) + 1);
        }
        summary.written++;
      } else {
        summary.listedOnly++;
        for (const label of labels)
          summary.perLabel.set(label, (summary.perLabel.get(label) ?? 0) + 1);
      }
      const fields = [firstPath, row.uri, valueText(row.label), row.confidence, row.answers];
      await manifest.write(fields.map(csvQuoted).join(',') + '\n');
    }
  } finally {
    await manifest.close();
  }
  return summary;
}
