/** The steps of importFromDatasource, one function each. */
import {
  addProjectSourceRoot,
  findExistingSourceUris,
  insertSamples,
  updateProjectImageSettings,
  updateSampleContents,
  type DbProjectRow,
  type NewSample,
} from '@al/db';
import { imagePageColumn, type Datasource, type DatasourceEntry, type Logger } from '@al/media';
import type { ThumbnailStore } from '../images/thumbnailStore';
import { ensureProject } from './ensureProject';
import type { ImportOptions, ImportProgress, ImportSummary } from './importFolder';
import { mapWithConcurrency } from './mapWithConcurrency';
import { readAndInspect, type ImportFailure } from './readAndInspect';

/** What one import carries from chunk to chunk: its settings, counters and failures. */
export interface ImportRun {
  opts: ImportOptions & { datasource: Datasource };
  log: Logger;
  processAll: boolean;
  /** Images read and decoded at once. */
  concurrency: number;
  thumbnailSuffix: string | null;
  thumbnails: ThumbnailStore;
  progress: ImportProgress;
  failed: ImportFailure[];
  importedForEval: number;
}

export function emptyProgress(): ImportProgress {
  return { total: 0, processed: 0, imported: 0, alreadyImported: 0, updated: 0, failed: 0 };
}

/** Counts one read: processed, and failed with its reason when the image was unreadable. */
function countOutcome(
  outcome: Awaited<ReturnType<typeof readAndInspect>>,
  progress: ImportProgress,
  failed: ImportFailure[],
  log: Logger,
): void {
  progress.processed++;
  if ('failure' in outcome) {
    progress.failed++;
    failed.push(outcome.failure);
    log.debug(outcome.failure, 'unreadable image');
  }
}

/** The project the import goes to, created on its first image, with this source root. */
export async function prepareProject(
  opts: ImportOptions,
  datasource: Datasource,
): Promise<{ project: DbProjectRow; created: boolean }> {
  const target = await ensureProject({ tx: opts.knex, spec: opts.project });
  await addProjectSourceRoot({
    tx: opts.knex,
    projectId: target.project.id,
    root: datasource.root,
  });
  if (opts.imageSettings) {
    const { page, ...rest } = opts.imageSettings;
    await updateProjectImageSettings({
      tx: opts.knex,
      projectId: target.project.id,
      ...rest,
      ...(page !== undefined && { page: imagePageColumn(page) }),
    });
  }
  return target;
}

/**
 * One chunk of the listing: what the project already holds is counted and not read (unless
 * processAll), the rest is read and decoded a few at a time, then stored in one insert.
 */
export async function importChunk(
  run: ImportRun,
  projectId: number,
  chunk: DatasourceEntry[],
): Promise<void> {
  const { opts, progress } = run;
  const { knex, datasource, signal } = opts;
  progress.total += chunk.length;
  const existing = await findExistingSourceUris({
    tx: knex,
    projectId,
    uris: chunk.map((e) => e.uri),
  });
  if (!run.processAll) {
    progress.alreadyImported += existing.size;
    progress.processed += existing.size;
  }
  opts.onProgress?.({ ...progress });

  const toRead = run.processAll ? chunk : chunk.filter((e) => !existing.has(e.uri));
  const outcomes = await mapWithConcurrency(toRead, run.concurrency, async (entry) => {
    signal?.throwIfAborted();
    const outcome = await readAndInspect(datasource, entry);
    countOutcome(outcome, progress, run.failed, run.log);
    opts.onProgress?.({ ...progress });
    return outcome;
  });

  const stored = await storeChunk({
    knex,
    projectId,
    datasource,
    chunk,
    existing,
    samples: outcomes.flatMap((o) => ('sample' in o ? [o.sample] : [])),
    thumbnailSuffix: run.thumbnailSuffix,
    thumbnails: run.thumbnails,
  });
  progress.imported += stored.imported;
  progress.alreadyImported += stored.alreadyImported;
  progress.updated += stored.updated;
  run.importedForEval += stored.importedForEval;
  opts.onProgress?.({ ...progress });
}

/** Writes one chunk's decoded samples: new ones inserted, known ones (processAll) updated. */
export async function storeChunk(c: {
  knex: ImportOptions['knex'];
  projectId: number;
  datasource: Datasource;
  chunk: DatasourceEntry[];
  existing: Set<string>;
  samples: NewSample[];
  thumbnailSuffix: string | null;
  thumbnails: ThumbnailStore;
}): Promise<{
  imported: number;
  alreadyImported: number;
  updated: number;
  importedForEval: number;
}> {
  const fresh = c.samples.filter((s) => !c.existing.has(s.sourceUri));
  const known = c.samples.filter((s) => c.existing.has(s.sourceUri));
  const inserted = await insertSamples({ tx: c.knex, projectId: c.projectId, samples: fresh });
  const changed = await updateSampleContents({
    tx: c.knex,
    projectId: c.projectId,
    samples: known,
  });
  if (c.thumbnailSuffix !== null) {
    // A changed original's stored thumbnail shows the old image: write it again now.
    const byUri = new Map(c.chunk.map((e) => [e.uri, e]));
    for (const uri of changed) {
      const entry = byUri.get(uri);
      if (entry) await c.thumbnails.rewrite(c.datasource, entry, c.thumbnailSuffix);
    }
  }
  return {
    imported: inserted,
    // Rows another importer inserted meanwhile were skipped by ON CONFLICT: count them as there.
    alreadyImported: fresh.length - inserted + known.length,
    updated: changed.length,
    importedForEval: fresh.filter((x) => x.split === 'eval').length,
  };
}

/** The summary of a finished import; failures sorted by path. */
export function summarise(
  run: ImportRun,
  target: { project: DbProjectRow; created: boolean },
  ignored: number,
): ImportSummary {
  const { progress } = run;
  return {
    projectId: target.project.id,
    projectName: target.project.name,
    projectCreated: target.created,
    root: run.opts.datasource.root,
    found: progress.total,
    ignored,
    imported: progress.imported,
    importedForEval: run.importedForEval,
    alreadyImported: progress.alreadyImported,
    updated: progress.updated,
    failed: run.failed.sort((a, b) => a.relativePath.localeCompare(b.relativePath)),
  };
}

export function logSummary(log: Logger, summary: ImportSummary): void {
  log.info(
    {
      found: summary.found,
      imported: summary.imported,
      alreadyImported: summary.alreadyImported,
      updated: summary.updated,
      failed: summary.failed.length,
    },
    'import finished',
  );
}
