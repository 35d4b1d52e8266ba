/** The steps of importFromDatasource, one function each. */
import {
  addProjectSourceRoot,
  insertSamples,
  updateProjectImageSettings,
  updateSampleContents,
  type DbProjectRow,
  type NewSample,
} from '@al/db';
import type { Datasource, DatasourceEntry, Logger } from '@al/media';
import type { ThumbnailStore } from '../images/thumbnailStore';
import { ensureProject } from './ensureProject';
import type { ImportOptions, ImportProgress, ImportSummary } from './importFolder';
import type { ImportFailure, readAndInspect } from './readAndInspect';

export function emptyProgress(): ImportProgress {
  return { total: 0, processed: 0, imported: 0, alreadyImported: 0, updated: 0, failed: 0 };
}

export /** Counts one read: processed, and failed with its reason when the image was unreadable. */
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
    await updateProjectImageSettings({
      tx: opts.knex,
      projectId: target.project.id,
      ...opts.imageSettings,
    });
  }
  return target;
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
