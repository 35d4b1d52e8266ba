import { LoggingEnvShape, LogLevelSchema, S3EnvShape } from '@al/contract';
import { z } from 'zod';

/**
 * The server's processes read their environment here, once, at their entry (`npm start`,
 * `npm run import`), and pass the typed values down; nothing below them reads process.env.
 * All optional on a laptop: with no DATABASE_URL an embedded Postgres runs under DATA_DIR.
 */

/** Where the database is: DATABASE_URL, or the embedded cluster under DATA_DIR. */
const DatabaseEnvShape = {
  DATABASE_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
};

/**
 * .env.example's placeholders all start with "change-me": one copied unchanged would be a token
 * anyone who has read the repository knows.
 */
const EXAMPLE_VALUE_PREFIX = 'change-me';

function ownToken(name: string, minLength: number) {
  return z
    .string()
    .min(minLength, `${name} must be at least ${minLength} characters`)
    .refine((v) => !v.startsWith(EXAMPLE_VALUE_PREFIX), {
      message: `${name} is still the example value from .env.example: set your own (e.g. openssl rand -hex 24)`,
    });
}

const ConfigSchema = z.object({
  ...DatabaseEnvShape,
  ...LoggingEnvShape,
  ...S3EnvShape,
  PORT: z.coerce.number().int().min(0).max(65535).default(8866),
  HOST: z.string().default('0.0.0.0'),
  ADMIN_TOKEN: ownToken('ADMIN_TOKEN', 16).optional(),
  LABELLER_TOKEN: ownToken('LABELLER_TOKEN', 8).optional(),
  /** One labeller a line, `name:<sha256 hex of the token>` (npm run labeller-token issues them). */
  LABELLER_TOKENS_FILE: z.string().min(1).optional(),
  /** Comma-separated origins (https://host:port) whose pages may call the API cross-origin. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(z.array(z.url().transform((o) => new URL(o).origin))),
  LEASE_TTL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(120),
  LOG_LEVEL: LogLevelSchema.default('info'),
  START_ORCHESTRATOR: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DEMO_SAMPLES: z.coerce.number().int().min(10).max(10_000).default(2_000),
});

/** `npm start`'s settings. */
export type Config = z.infer<typeof ConfigSchema>;

const ImportConfigSchema = z.object({
  ...DatabaseEnvShape,
  ...LoggingEnvShape,
  ...S3EnvShape,
  // Human output is the point of a CLI: log lines only for warnings unless LOG_LEVEL asks.
  LOG_LEVEL: LogLevelSchema.default('warn'),
});

/** `npm run import`'s settings. */
export type ImportConfig = z.infer<typeof ImportConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses with `schema`; throws a ConfigError naming each bad variable (never its value). */
function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** The server's (`npm start`) configuration from the environment. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(ConfigSchema, env);
}

/** The importer's (`npm run import`) configuration from the environment. */
export function loadImportConfig(env: NodeJS.ProcessEnv = process.env): ImportConfig {
  return parseEnv(ImportConfigSchema, env);
}
