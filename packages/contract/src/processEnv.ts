import { z } from 'zod';

/**
 * Environment variables that more than one process reads (the server, the importer, the
 * orchestrator, the datapool CLI). Each process parses its environment once, at its entry,
 * with a schema built from these shapes, and passes the typed values down.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `true` / `false` as environment variables spell them. */
const BooleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A process's own default level goes after this (`.default('info')`, a CLI's `'warn'`). */
export const LogLevelSchema = z.enum(LOG_LEVELS);

export const LoggingEnvShape = {
  /**
   * `auto` (default): readable lines when stdout is a terminal, JSON lines otherwise (a pipe,
   * a file, a container's log driver). `json` or `pretty` forces one.
   */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
};

/**
 * What this project reads about S3 besides the AWS SDK's own variables (credentials, region and
 * endpoint, which the SDK takes from the environment itself): path-style addressing, which
 * MinIO-like stores need and the SDK has no variable for, and the endpoint, which the server's
 * Content-Security-Policy must allow when images are served by presigned redirects.
 */
export const S3EnvShape = {
  S3_FORCE_PATH_STYLE: BooleanFlag.default(false),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
};
export type S3Env = z.infer<z.ZodObject<typeof S3EnvShape>>;

/** The S3 endpoint in force: the S3-specific variable wins over the general one, as in the SDK. */
export function s3EndpointOf(
  env: Pick<S3Env, 'AWS_ENDPOINT_URL_S3' | 'AWS_ENDPOINT_URL'>,
): string | undefined {
  return env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
}
