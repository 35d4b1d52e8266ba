import { stat } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import {
  getProjectByName,
  wakeOrchestrators,
  type DbProjectRow,
  type ImageDelivery,
  type Tx,
} from '@al/db';
import type { Logger } from '@al/media';
import { createLocalFolderDatasource } from '@al/media';
import type { Datasource, DatasourceEntry } from '@al/media';
import { thumbnailMatcher, type ImagePage } from '@al/media';
import { ThumbnailStore } from '../images/thumbnailStore';
import type { ProjectSpec } from './ensureProject';
import { hasImageExtension, IMAGE_EXTENSIONS } from './imageFiles';
import { imageChunks, type ListingCounts } from './imageChunks';
import type { ImportFailure } from './readAndInspect';
import {
  emptyProgress,
  importChunk,
  logSummary,
  prepareProject,
  summarise,
  type ImportRun,
} from './importSteps';

export type { ImportFailure } from './readAndInspect';

/** One existence query and one insert per this many files: one round trip each, small arrays. */
const DEFAULT_CHUNK_SIZE = 500;

export class ImportError extends Error {
  override name = 'ImportError';
}

export interface ImportProgress {
  /** Image files listed so far (the listing is streamed, so this grows until it ends). */
  total: number;
  processed: number;
  imported: number;
  alreadyImported: number;
  /** With processAll: samples whose bytes changed since they were imported. */
  updated: number;
  failed: number;
}

export interface ImportSummary {
  projectId: number;
  projectName: string;
  projectCreated: boolean;
  root: string;
  /** Files with an image extension (thumbnails under the project's suffix not counted). */
  found: number;
  /** Other files under the root, and thumbnails, left alone. */
  ignored: number;
  imported: number;
  /** Of the imported ones, how many went to the held-out evaluation share. */
  importedForEval: number;
  alreadyImported: number;
  /** With processAll: of the already imported ones, how many had changed and were updated. */
  updated: number;
  failed: ImportFailure[];
}

/** How the project's images are served; applied to the project when the import starts. */
export interface ImageSettings {
  delivery?: ImageDelivery;
  thumbnailSuffix?: string | null;
  /** Page of multi-page images shown and learnt from. */
  page?: ImagePage;
}

export interface ImportOptions {
  knex: Tx;
  project: ProjectSpec;
  logger: Logger;
  imageSettings?: ImageSettings;
  /** Re-read and re-decode objects already imported too, updating those that changed. */
  processAll?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Images read and decoded at once (default: the datasource's, else 2); decodes also use libvips threads. */
  concurrency?: number;
  chunkSize?: number;
  signal?: AbortSignal;
}

/**
 * The project's thumbnail suffix for this import (null: thumbnails off), and the filter of
 * what to import: files named like thumbnails under that suffix are the server's, not images.
 */
async function thumbnailRule(
  opts: ImportOptions,
): Promise<{ suffix: string | null; accept: (e: DatasourceEntry) => boolean }> {
  const existing = await getProjectByName({ tx: opts.knex, name: opts.project.name });
  const given = opts.imageSettings?.thumbnailSuffix;
  // null given means "thumbnails off" and wins over the project's current suffix.
  const suffix = given !== undefined ? given : (existing?.thumbnail_suffix ?? null);
  const isThumbnail = suffix === null ? () => false : thumbnailMatcher(suffix);
  return {
    suffix,
    accept: (e) => hasImageExtension(e.relativePath) && !isThumbnail(e.relativePath),
  };
}

/**
 * Imports every image under a datasource into a project (created when the first image is
 * listed). The listing is consumed one chunk at a time, so memory stays flat for a bucket of
 * any size. Objects the project already holds are skipped before they are read (datapool
 * semantics: a re-run costs the listing plus one query per chunk) unless `processAll` asks to
 * re-read them, in which case changed ones get their new hash and size.
 */
export async function importFromDatasource(
  opts: ImportOptions & { datasource: Datasource },
): Promise<ImportSummary> {
  const { datasource, signal } = opts;
  const log = opts.logger.child({ component: 'importer', project: opts.project.name });
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { suffix: thumbnailSuffix, accept } = await thumbnailRule(opts);
  const run: ImportRun = {
    opts,
    log,
    processAll: opts.processAll ?? false,
    concurrency:
      opts.concurrency ?? datasource.readConcurrency ?? Math.min(2, availableParallelism()),
    thumbnailSuffix,
    thumbnails: new ThumbnailStore(log),
    progress: emptyProgress(),
    failed: [],
    importedForEval: 0,
  };
  const counts: ListingCounts = { ignored: 0 };
  let target: { project: DbProjectRow; created: boolean } | undefined;
  // Imported when the orchestrators were last woken: the first chunk that adds images wakes
  // them, so a project never ordered gets its first, quick order while the import goes on.
  let importedAtWake = 0;

  for await (const chunk of imageChunks(datasource.list(), chunkSize, accept, counts)) {
    signal?.throwIfAborted();
    if (!target) {
      target = await prepareProject(opts, datasource);
      log.info({ projectCreated: target.created, processAll: run.processAll }, 'import started');
    }
    await importChunk(run, target.project.id, chunk);
    if (importedAtWake === 0 && run.progress.imported > 0) {
      importedAtWake = run.progress.imported;
      await wakeOrchestrators({ tx: opts.knex, projectId: target.project.id });
    }
  }

  if (!target) {
    throw new ImportError(
      `no image files (${IMAGE_EXTENSIONS.join(' ')}) under ${datasource.root}` +
        (counts.ignored > 0 ? ` (${counts.ignored} other files ignored)` : ''),
    );
  }
  const summary = summarise(run, target, counts.ignored);
  logSummary(log, summary);
  // New images of a project never ordered get their first order now, not at the next poll.
  if (summary.imported > importedAtWake)
    await wakeOrchestrators({ tx: opts.knex, projectId: summary.projectId });
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
