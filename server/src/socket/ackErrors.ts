import { isDatabaseUnavailable, QueueError } from '@al/db';
import type { core } from 'zod/mini';
import type { AckError, ErrorCode } from '@al/contract';
import type { Logger } from '@al/media';

export function ackError(code: ErrorCode, message: string): AckError {
  return { error: { code, message } };
}

/** A short, human-readable account of what was wrong with a payload (never echoes values). */
export function describeZodError(err: core.$ZodError): string {
  const text = err.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Only whitelisted codes reach a client: queue rule violations keep their code and message
 * (they are written for labellers); an unreachable database is UNAVAILABLE, which clients
 * treat as "reconnecting" and answer by resending the same request (same clientKey) later;
 * anything else is logged here and reported as INTERNAL.
 */
export function toAckError(err: unknown, logger: Logger, event: string): AckError {
  if (err instanceof QueueError) return ackError(err.code, err.message);
  if (isDatabaseUnavailable(err)) {
    // Expected while Postgres restarts: one line without the stack, not an error report.
    logger.warn({ event, reason: errorSummary(err) }, 'database unavailable');
    return ackError('UNAVAILABLE', 'the database is unavailable for a moment; try again');
  }
  logger.error({ err, event }, 'socket handler failed');
  return ackError('INTERNAL', 'internal error');
}

/** Code and driver message only: knex prefixes the message with the whole SQL text. */
function errorSummary(err: unknown): string {
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message.slice(message.lastIndexOf(' - ') + 1) : '';
  return `${typeof code === 'string' ? code : ''} ${text.replace(/^- /, '')}`.trim();
}
