/**
 * The orchestrator's processes read their environment here, once, at their entry (`npm run
 * orchestrator`, `npm run datapool`), and pass the typed values down.
 */
import { hostname } from 'node:os';
import { LoggingEnvShape, LogLevelSchema, S3EnvShape } from '@al/contract';
import { z } from 'zod';
import { backendEnvSchema } from '../backend/chooseBackend';

const SharedShape = {
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required: the Postgres the server uses'),
  /** tensorflow-gpu | tensorflow | wasm | cpu; unset or empty: the fastest that loads. */
  TF_BACKEND: backendEnvSchema.shape.TF_BACKEND,
  ...LoggingEnvShape,
  // The SDK reads credentials, region and endpoint itself; path style is ours to pass.
  S3_FORCE_PATH_STYLE: S3EnvShape.S3_FORCE_PATH_STYLE,
};

const RunConfigSchema = z.object({
  ...SharedShape,
  LOG_LEVEL: LogLevelSchema.default('info'),
  /** This instance's name in retrain_jobs.locked_by. */
  ORCHESTRATOR_ID: z.string().min(1).max(200).default(`${hostname()}:${process.pid}`),
  /** Job heartbeat period. */
  ORCHESTRATOR_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  /** When a running job whose heartbeat went silent counts as abandoned. */
  ORCHESTRATOR_STALE_AFTER_SECONDS: z.coerce.number().positive().default(60),
  /** Polling period besides NOTIFY wake-ups. */
  ORCHESTRATOR_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Labellers count as active at this many hand-outs per second (pacing/labellerPressure.ts). */
  ORCHESTRATOR_BUSY_HANDOUTS_PER_S: z.coerce.number().positive().default(10),
  /** …and the machine as contended when other processes use this share of its CPU. */
  ORCHESTRATOR_BUSY_OTHERS_CPU: z.coerce.number().min(0).max(1).default(0.75),
  /** Share of wall time a retrain works while labellers are busy; 1 turns pacing off. */
  ORCHESTRATOR_BUSY_SHARE: z.coerce.number().gt(0).max(1).default(0.1),
});

/** `npm run orchestrator`'s settings. */
export type RunConfig = z.infer<typeof RunConfigSchema>;

const DatapoolConfigSchema = z.object({
  ...SharedShape,
  // A CLI that prints a summary: log lines only for warnings unless LOG_LEVEL asks.
  LOG_LEVEL: LogLevelSchema.default('warn'),
});

/** `npm run datapool`'s settings. */
export type DatapoolConfig = z.infer<typeof DatapoolConfigSchema>;

/** The parsed settings, or a message naming each bad variable (never its value). */
export type Parsed<T> = { config: T } | { error: string };

function parse<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): Parsed<T> {
  const parsed = schema.safeParse(env);
  return parsed.success ? { config: parsed.data } : { error: z.prettifyError(parsed.error) };
}

export function loadRunConfig(env: NodeJS.ProcessEnv = process.env): Parsed<RunConfig> {
  return parse(RunConfigSchema, env);
}

export function loadDatapoolConfig(env: NodeJS.ProcessEnv = process.env): Parsed<DatapoolConfig> {
  return parse(DatapoolConfigSchema, env);
}
