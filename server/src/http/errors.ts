import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { HttpErrorBody, HttpErrorCode } from '@al/contract';
import { isDatabaseUnavailable } from '@al/db';
import type { Logger } from '@al/media';
import { ProjectNotFoundError } from '../services/projectLookup';

/** A route's response: its contract shape, or an error body. */
export type JsonResponse<T> = Response<T | HttpErrorBody>;

export function errorBody(code: HttpErrorCode, message: string): HttpErrorBody {
  return { error: { code, message } };
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', 'no such route'));
};

/**
 * Last handler: known errors keep their meaning, an unreachable database is a retryable 503,
 * anything else is logged and answered as a bare 500 so no internals leak. Body-parser errors
 * carry their own 4xx status.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof ProjectNotFoundError) {
      res.status(404).json(errorBody('NOT_FOUND', err.message));
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(errorBody('BAD_REQUEST', 'malformed request'));
      return;
    }
    if (isDatabaseUnavailable(err) && !res.headersSent) {
      logger.warn({ err }, 'request failed: database unavailable');
      res.setHeader('Retry-After', '1');
      res
        .status(503)
        .json(errorBody('UNAVAILABLE', 'the database is unavailable for a moment; try again'));
      return;
    }
    logger.error({ err }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).json(errorBody('INTERNAL', 'internal error'));
  };
}
