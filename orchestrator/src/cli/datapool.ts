/**
 * `npm run datapool -- --project NAME [--out FILE]`: writes the project's datapool as
 * Lightly's `datapool_latest.csv` (filename,embedding_0,…; see exportDatapool.ts). Default
 * output `datapool_latest.csv` in the current folder; `--out -` writes to stdout. Decodes
 * and caches features only for samples that have none yet.
 * Environment: DATABASE_URL (required), TF_BACKEND and LOG_LEVEL as for the orchestrator.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createDb, getProjectByName } from '@al/db';
import { z } from 'zod';
import { createLogger } from '@al/media';
import { chooseBackend } from '../backend/chooseBackend';
import { exportDatapool } from '../datapool/exportDatapool';

const argsSchema = z.object({
  project: z.string().min(1, '--project NAME is required'),
  out: z.string().min(1).default('datapool_latest.csv'),
});

const envSchema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

async function main(): Promise<number> {
  const args = argsSchema.safeParse(
    parseArgs({
      options: { project: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    }).values,
  );
  const env = envSchema.safeParse(process.env);
  if (!args.success || !env.success) {
    const error = args.error ?? env.error;
    console.error(`datapool: ${error ? z.prettifyError(error) : 'invalid input'}`);
    console.error('usage: npm run datapool -- --project NAME [--out FILE|-]');
    return 2;
  }
  // pino writes to stdout: with `--out -` stdout must hold nothing but the CSV, so no logs.
  const toStdout = args.data.out === '-';
  const logger = createLogger(toStdout ? 'silent' : env.data.LOG_LEVEL).child({
    component: 'datapool',
  });
  const knex = createDb({
    connectionString: env.data.DATABASE_URL,
    poolMax: 2,
    applicationName: 'datapool',
  });
  try {
    const project = await getProjectByName({ tx: knex, name: args.data.project });
    if (!project) {
      console.error(`datapool: no project named ${args.data.project}`);
      return 1;
    }
    const backend = await chooseBackend({ logger });
    const out = toStdout ? process.stdout : createWriteStream(args.data.out);
    const result = await exportDatapool({ knex, projectId: project.id, backend, logger, out });
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
