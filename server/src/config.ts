import { z } from 'zod';

/**
 * Every setting the server, importer and orchestrator read from the environment, parsed once.
 * All optional on a laptop: with no DATABASE_URL an embedded Postgres runs under DATA_DIR.
 */
const ConfigSchema = z.object({
  DATABASE_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8866),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  LABELLER_TOKEN: z.string().min(8, 'LABELLER_TOKEN must be at least 8 characters').optional(),
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming each bad variable (never its value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
