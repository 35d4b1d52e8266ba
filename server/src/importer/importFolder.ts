import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import {
  addProjectSourceRoot,
  findExistingSourceUris,
  insertSamples,
  type NewSample,
  type Tx,
} from '@al/db';
import type { Logger } from '../logger';
import { createLocalFolderDatasource } from '../datasources/local';
import type { Datasource, DatasourceEntry } from '../datasources/types';
import { inspectImage } from './decodeImage';
import { ensureProject, type ProjectSpec } from './ensureProject';
import { splitForContentHash } from './evalSplit';
import { hasImageExtension, IMAGE_EXTENSIONS } from './imageFiles';
import { mapWithConcurrency } from './mapWithConcurrency';

/** One existence query and one insert per this many files: one round trip each, small arrays. */
const DEFAULT_CHUNK_SIZE = 500;

export class ImportError extends Error {
  override name = 'ImportError';
}

export interface ImportFailure {
  relativePath: string;
  reason: string;
}

export interface ImportProgress {
  total: number;
  processed: number;
  imported: number;
  alreadyImported: number;
  failed: number;
}

export interface ImportSummary {
  projectId: number;
  projectName: string;
  projectCreated: boolean;
  root: string;
  /** Files with an image extension. */
  found: number;
  /** Other files under the root, left alone. */
  ignored: number;
  imported: number;
  /** Of the imported ones, how many went to the held-out evaluation share. */
  importedForEval: number;
  alreadyImported: number;
  failed: ImportFailure[];
}

export interface ImportOptions {
  knex: Tx;
  project: ProjectSpec;
  logger: Logger;
  onProgress?: (progress: ImportProgress) => void;
  /** Images decoded at once; each decode also uses libvips threads. */
  concurrency?: number;
  chunkSize?: number;
  signal?: AbortSignal;
}

type FileOutcome = { sample: NewSample } | { failure: ImportFailure };

async function readAndInspect(
  datasource: Datasource,
  entry: DatasourceEntry,
): Promise<FileOutcome> {
  try {
    const bytes = await datasource.read(entry.uri);
    const { width, height } = await inspectImage(bytes);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    return {
      sample: {
        sourceUri: entry.uri,
        contentHash,
        width,
        height,
        byteSize: bytes.length,
        split: splitForContentHash(contentHash),
      },
    };
  } catch (err) {
    // One unreadable file must not stop the import: it is reported by name instead.
    const reason = err instanceof Error ? err.message : String(err);
    return { failure: { relativePath: entry.relativePath, reason } };
  }
}

async function listImages(
  datasource: Datasource,
): Promise<{ images: DatasourceEntry[]; ignored: number }> {
  const images: DatasourceEntry[] = [];
  let ignored = 0;
  for await (const entry of datasource.list()) {
    if (hasImageExtension(entry.relativePath)) images.push(entry);
    else ignored++;
  }
  return { images, ignored };
}

/**
 * Imports every image under a datasource into a project (created when missing). Files the
 * project already holds are skipped before they are read, so a re-run costs one query per
 * chunk plus the listing.
 */
export async function importFromDatasource(
  opts: ImportOptions & { datasource: Datasource },
): Promise<ImportSummary> {
  const { knex, datasource, signal } = opts;
  const log = opts.logger.child({ component: 'importer', project: opts.project.name });
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const concurrency = opts.concurrency ?? Math.min(2, availableParallelism());

  const { images, ignored } = await listImages(datasource);
  if (images.length === 0) {
    throw new ImportError(
      `no image files (${IMAGE_EXTENSIONS.join(' ')}) under ${datasource.root}` +
        (ignored > 0 ? ` (${ignored} other files ignored)` : ''),
    );
  }
  const { project, created } = await ensureProject({ tx: knex, spec: opts.project });
  await addProjectSourceRoot({ tx: knex, projectId: project.id, root: datasource.root });
  log.info({ found: images.length, ignored, projectCreated: created }, 'import started');

  const progress: ImportProgress = {
    total: images.length,
    processed: 0,
    imported: 0,
    alreadyImported: 0,
    failed: 0,
  };
  const failed: ImportFailure[] = [];
  let importedForEval = 0;
  for (let start = 0; start < images.length; start += chunkSize) {
    signal?.throwIfAborted();
    const chunk = images.slice(start, start + chunkSize);
    const existing = await findExistingSourceUris({
      tx: knex,
      projectId: project.id,
      uris: chunk.map((e) => e.uri),
    });
    progress.alreadyImported += existing.size;
    progress.processed += existing.size;
    opts.onProgress?.({ ...progress });

    const fresh = chunk.filter((e) => !existing.has(e.uri));
    const outcomes = await mapWithConcurrency(fresh, concurrency, async (entry) => {
      signal?.throwIfAborted();
      const outcome = await readAndInspect(datasource, entry);
      progress.processed++;
      if ('failure' in outcome) {
        progress.failed++;
        failed.push(outcome.failure);
        log.debug(outcome.failure, 'unreadable image');
      }
      opts.onProgress?.({ ...progress });
      return outcome;
    });

    const samples = outcomes.flatMap((o) => ('sample' in o ? [o.sample] : []));
    const inserted = await insertSamples({ tx: knex, projectId: project.id, samples });
    // Rows another importer inserted meanwhile were skipped by ON CONFLICT: count them as there.
    progress.imported += inserted;
    progress.alreadyImported += samples.length - inserted;
    importedForEval += samples.filter((s) => s.split === 'eval').length;
    opts.onProgress?.({ ...progress });
  }

  const summary: ImportSummary = {
    projectId: project.id,
    projectName: project.name,
    projectCreated: created,
    root: datasource.root,
    found: images.length,
    ignored,
    imported: progress.imported,
    importedForEval,
    alreadyImported: progress.alreadyImported,
    failed: failed.sort((a, b) => a.relativePath.localeCompare(b.relativePath)),
  };
  log.info(
    {
      found: summary.found,
      imported: summary.imported,
      alreadyImported: summary.alreadyImported,
      failed: summary.failed.length,
    },
    'import finished',
  );
  return summary;
}

/** importFromDatasource over a local folder (the folder's absolute path becomes a source root). */
export async function importFolder(
  opts: ImportOptions & { folder: string },
): Promise<ImportSummary> {
  const folder = path.resolve(opts.folder);
  const info = await stat(folder).catch(() => undefined);
  if (!info) throw new ImportError(`folder not found: ${folder}`);
  if (!info.isDirectory()) throw new ImportError(`not a folder: ${folder}`);
  return importFromDatasource({ ...opts, datasource: createLocalFolderDatasource(folder) });
}
