/**
 * `npm run datapool -- --project NAME [--out FILE]`: writes the project's datapool as
 * Lightly's `datapool_latest.csv` (filename,embedding_0,…; see exportDatapool.ts). Default
 * output `datapool_latest.csv` in the current folder; `--out -` writes to stdout. Decodes
 * and caches features only for samples that have none yet.
 * Environment (./config.ts): DATABASE_URL (required), TF_BACKEND, LOG_LEVEL (default warn),
 * LOG_FORMAT and S3_FORCE_PATH_STYLE as for the orchestrator.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createDb, getProjectByName } from '@al/db';
import { z } from 'zod';
import { createLogger, usePrettyLogs } from '@al/media';
import { chooseBackend } from '../backend/chooseBackend';
import { exportDatapool } from '../datapool/exportDatapool';
import { loadDatapoolConfig } from './config';

const argsSchema = z.object({
  project: z.string().min(1, '--project NAME is required'),
  out: z.string().min(1).default('datapool_latest.csv'),
});

async function main(): Promise<number> {
  const args = argsSchema.safeParse(
    parseArgs({
      options: { project: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }).values,
  );
  const env = loadDatapoolConfig();
  if (!args.success || 'error' in env) {
    if (!args.success) console.error(`datapool: ${z.prettifyError(args.error)}`);
    if ('error' in env) console.error(`datapool: invalid environment:\n${env.error}`);
    console.error('usage: npm run datapool -- --project NAME [--out FILE|-]');
    return 2;
  }
  const config = env.config;
  // pino writes to stdout: with `--out -` stdout must hold nothing but the CSV, so no logs.
  const toStdout = args.data.out === '-';
  const logger = createLogger(toStdout ? 'silent' : config.LOG_LEVEL, {
    pretty: usePrettyLogs(config.LOG_FORMAT, process.stdout),
  }).child({ component: 'datapool' });
  const knex = createDb({
    connectionString: config.DATABASE_URL,
    poolMax: 2,
    applicationName: 'datapool',
  });
  try {
    const project = await getProjectByName({ tx: knex, name: args.data.project });
    if (!project) {
      console.error(`datapool: no project named ${args.data.project}`);
      return 1;
    }
    const backend = await chooseBackend({ env: { TF_BACKEND: config.TF_BACKEND }, logger });
    const out = toStdout ? process.stdout : createWriteStream(args.data.out);
    const result = await exportDatapool({
      knex,
      projectId: project.id,
      backend,
      logger,
      out,
      s3: { forcePathStyle: config.S3_FORCE_PATH_STYLE },
    });
    if (!toStdout) {
      out.end();
      await finished(out);
    }
    const source =
      result.modelVersion === null ? 'cold-start pixels' : `model v${result.modelVersion}`;
    console.error(
      `datapool: ${result.rows} rows × ${result.dim} dims (${source}), ` +
        `${result.decoded} newly decoded, ${result.failed} unreadable → ${args.data.out}`,
    );
    return 0;
  } finally {
    await knex.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('datapool failed:', err);
    process.exitCode = 1;
  },
);
