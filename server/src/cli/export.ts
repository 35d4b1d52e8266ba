/**
 * npm run export -- --project NAME --out FOLDER [--copy] [--min-confidence C]
 * Thin shell over exportToFolders: parse arguments, open the database, export, summarise.
 */
import { createDatasource, createLogger, S3DatasourceError, usePrettyLogs } from '@al/media';
import { loadImportConfig } from '../config';
import { openDatabase } from '../database';
import { ExportError, exportToFolders, MANIFEST_NAME } from '../exporter/folderExport';
import { finalLabelRows } from '../services/finalLabels/finalLabelRows';
import { ProjectNotFoundError, requireProject } from '../services/projectLookup';
import { EXPORT_USAGE, parseExportArgs } from './exportArgs';
import { runCli, userErrorCode } from './runCli';

async function main(): Promise<number> {
  const parsed = parseExportArgs(process.argv.slice(2));
  if ('error' in parsed) {
    console.error(`error: ${parsed.error}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  const { project: name, out, mode, minConfidence } = parsed.args;
  const config = loadImportConfig();
  const logger = createLogger(config.LOG_LEVEL, {
    pretty: usePrettyLogs(config.LOG_FORMAT, process.stdout),
  });
  const db = await openDatabase(config, logger, { applicationName: 'labeller-export' });
  try {
    const project = await requireProject(db.knex, name);
    const summary = await exportToFolders({
      rows: await finalLabelRows(db.knex, project),
      sourceRoots: project.source_roots,
      out,
      mode,
      minConfidence,
      datasourceFor: (root) =>
        createDatasource(root, { forcePathStyle: config.S3_FORCE_PATH_STYLE }),
    });
    console.log(`project "${name}" → ${out} (${mode === 'copy' ? 'copies' : 'symlinks'})`);
    const labels = [...summary.perLabel].map(([label, n]) => `${label} ${String(n)}`).join(', ');
    console.log(`exported: ${String(summary.written)} images${labels ? ` (${labels})` : ''}`);
    if (summary.listedOnly > 0) {
      console.log(
        `in ${MANIFEST_NAME} by URI only: ${String(summary.listedOnly)} S3 objects (--copy downloads them)`,
      );
    }
    console.log(`not labelled yet: ${String(summary.unlabelled)}`);
    if (minConfidence > 0) {
      console.log(`below confidence ${String(minConfidence)}: ${String(summary.belowConfidence)}`);
    }
    return 0;
  } catch (err) {
    return userErrorCode(err, [ExportError, ProjectNotFoundError, S3DatasourceError]);
  } finally {
    await db.close();
  }
}

runCli(main);
