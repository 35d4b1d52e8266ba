/**
 * npm run import -- --project NAME --labels a,b,c [--multi-label] [--labels-per-sample K]
 *   [--process-all] [--delivery proxy|presign] [--thumbnail-suffix S] <folder | s3://bucket/prefix>
 * Thin shell over importFromDatasource: parse arguments, open the database, show progress, summarise.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  createDatasource,
  createLogger,
  isS3Uri,
  S3DatasourceError,
  usePrettyLogs,
  type Datasource,
} from '@al/media';
import { loadImportConfig } from '../config';
import { openDatabase } from '../database';
import { ProjectMismatchError } from '../importer/ensureProject';
import {
  ImportError,
  importFromDatasource,
  type ImportProgress,
  type ImportSummary,
} from '../importer/importFolder';
import { IMPORT_USAGE, parseImportArgs } from './importArgs';
import { runCli, userErrorCode } from './runCli';

const PLAIN_PROGRESS_EVERY_MS = 2_000;

/** A bar on a terminal; on a pipe or in CI, a plain line every couple of seconds. */
function progressReporter(): { update: (p: ImportProgress) => void; stop: () => void } {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({
      stream: process.stdout,
      format:
        '{bar} {percentage}% | {value}/{total} files | new {imported} | already {alreadyImported} | failed {failed}',
      hideCursor: true,
    });
    let started = false;
    return {
      update: (p) => {
        const { total, processed, ...counts } = p;
        if (!started) bar.start(total, processed, counts);
        started = true;
        // The listing is streamed: the total grows as pages arrive.
        bar.setTotal(total);
        bar.update(processed, counts);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastAt = Date.now();
  return {
    update: (p) => {
      if (Date.now() - lastAt < PLAIN_PROGRESS_EVERY_MS) return;
      lastAt = Date.now();
      console.log(
        `progress: ${p.processed}/${p.total} files listed so far, ${p.imported} new, ${p.failed} failed`,
      );
    },
    stop: () => undefined,
  };
}

function printSummary(s: ImportSummary, reread: boolean): void {
  console.log(
    `project "${s.projectName}"${s.projectCreated ? ' (created)' : ''}, images from ${s.root}`,
  );
  console.log(
    `found: ${s.found} image files` + (s.ignored > 0 ? ` (${s.ignored} other files ignored)` : ''),
  );
  console.log(`new: ${s.imported} (${s.importedForEval} of them held out for evaluation)`);
  console.log(`already imported: ${s.alreadyImported}`);
  if (reread) console.log(`re-read: ${s.alreadyImported}, changed since import: ${s.updated}`);
  console.log(`failed: ${s.failed.length}`);
  for (const f of s.failed) console.error(`  unreadable: ${f.relativePath}: ${f.reason}`);
  if (s.imported === 0 && s.alreadyImported > 0 && !reread) console.log('nothing new to import');
}

async function main(): Promise<number> {
  const parsed = parseImportArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(`error: ${parsed.error}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(IMPORT_USAGE);
    return 0;
  }
  const { project, folder: given, processAll, imageSettings } = parsed.args;
  const source = isS3Uri(given) ? given : path.resolve(given);
  if (!isS3Uri(source)) {
    const info = await stat(source).catch(() => undefined);
    if (!info?.isDirectory()) {
      console.error(`error: ${info ? 'not a folder' : 'folder not found'}: ${source}`);
      return 1;
    }
  }

  const config = loadImportConfig();
  const logger = createLogger(config.LOG_LEVEL, {
    pretty: usePrettyLogs(config.LOG_FORMAT, process.stdout),
  });

  let datasource: Datasource;
  try {
    datasource = createDatasource(source, { forcePathStyle: config.S3_FORCE_PATH_STYLE });
  } catch (err) {
    if (err instanceof S3DatasourceError) {
      console.error(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const db = await openDatabase(config, logger, { applicationName: 'labeller-import' });
  const progress = progressReporter();
  try {
    const summary = await importFromDatasource({
      knex: db.knex,
      project,
      datasource,
      logger,
      processAll,
      imageSettings,
      onProgress: progress.update,
    });
    progress.stop();
    printSummary(summary, processAll);
    if (summary.imported + summary.alreadyImported === 0) {
      console.error('error: none of the image files could be read');
      return 1;
    }
    return 0;
  } catch (err) {
    progress.stop();
    return userErrorCode(err, [ImportError, ProjectMismatchError, S3DatasourceError]);
  } finally {
    await db.close();
  }
}

// Ctrl-C ends the import at once (the default SIGINT). An embedded cluster it started shares
// its process group, so the terminal's SIGINT stops that too. Chunks already inserted stay.
runCli(main);
