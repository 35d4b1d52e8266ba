import { QueueError } from '@al/db';
import type { ZodError } from 'zod';
import type { AckError, ErrorCode } from '../contract/events';
import type { Logger } from '../logger';

export function ackError(code: ErrorCode, message: string): AckError {
  return { error: { code, message } };
}

/** A short, human-readable account of what was wrong with a payload (never echoes values). */
export function describeZodError(err: ZodError): string {
  const text = err.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Only whitelisted codes reach a client: queue rule violations keep their code and message
 * (they are written for labellers); anything else is logged here and reported as INTERNAL.
 */
export function toAckError(err: unknown, logger: Logger, event: string): AckError {
  if (err instanceof QueueError) return ackError(err.code, err.message);
  logger.error({ err, event }, 'socket handler failed');
  return ackError('INTERNAL', 'internal error');
}
