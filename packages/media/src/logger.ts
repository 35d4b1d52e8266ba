import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger };

/** Paths whose values must never reach a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.token',
  'res.headers["set-cookie"]',
  // A presigned redirect's URL is a bearer credential for its object until it expires.
  'res.headers.location',
  'secretAccessKey',
  '*.secretAccessKey',
  'AWS_SECRET_ACCESS_KEY',
  '*.AWS_SECRET_ACCESS_KEY',
  'connectionString',
  '*.connectionString',
  'DATABASE_URL',
  '*.DATABASE_URL',
];

/** `auto`: readable lines on a terminal, JSON lines when stdout is a pipe or a file. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** Whether a process logs readable lines, given its LOG_FORMAT and its stdout. */
export function usePrettyLogs(format: LogFormat, stdout: { isTTY?: boolean }): boolean {
  // Node leaves isTTY undefined (not false) on a pipe or a file.
  return format === 'pretty' || (format === 'auto' && stdout.isTTY === true);
}

interface HttpLogFields {
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/** One line per entry: `[component] message`, and a request's method, URL, status and time. */
function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const component = typeof log.component === 'string' ? `[${log.component}] ` : '';
  const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
  const { req, res, responseTime } = log as HttpLogFields;
  const request =
    req === undefined
      ? ''
      : ` ${req.method ?? ''} ${req.url ?? ''} ${String(res?.statusCode ?? '')}` +
        (responseTime === undefined ? '' : ` ${String(responseTime)} ms`);
  return `${component}${message}${request}`;
}

/**
 * The root logger on stdout: pino JSON lines, or with `pretty` pino-pretty's readable lines.
 * Redaction happens before either. Components take `logger.child({ component })`.
 */
export function createLogger(level = 'info', opts: { pretty?: boolean } = {}): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (opts.pretty !== true) return pino(options);
  const prettify = prettyFactory({
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,component,req,res,responseTime',
    messageFormat: prettyMessage,
  });
  // Formatted in the caller's thread and written at once (not pino-pretty's stream, whose
  // pipeline lags a tick): the last line before a process.exit is never lost, and log lines
  // stay in order with what a CLI prints.
  return pino(options, {
    write: (line: string) => {
      process.stdout.write(prettify(line));
    },
  });
}

/** A URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** A request URL fit for a log line: the value of a `token` query parameter replaced. */
export function redactQueryToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
