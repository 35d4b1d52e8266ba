import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { secretsEqual, type LabellerAccess } from '../app/labellerAccess';
import { errorBody } from './errors';

/** The token of a request: `Authorization: Bearer <token>`, else `?token=` (for <img> and links). */
export function requestToken(req: Request): string | undefined {
  const bearer = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const query: unknown = req.query.token;
  return typeof query === 'string' && query !== '' ? query : undefined;
}

/**
 * Guards every labeller-facing route (projects, stats, models, label export, images) when a
 * labeller token is required: any labeller's token or the admin token (the admin page reads
 * stats and exports with it). Only refusals count toward the limit of 30 a minute per address,
 * so a team behind one NAT address loading images never trips it, while guessing stays slow.
 */
export function labellerGuard(access: LabellerAccess, adminToken: string): RequestHandler {
  const refusals = rateLimit({
    windowMs: 60_000,
    limit: 30,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('RATE_LIMITED', 'too many refused requests; retry later'));
    },
  });
  return (req, res, next) => {
    if (access.mode === 'open') {
      next();
      return;
    }
    const token = requestToken(req);
    if (access.allowsToken(token) || (token !== undefined && secretsEqual(token, adminToken))) {
      next();
      return;
    }
    void refusals(req, res, () => {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json(errorBody('UNAUTHORIZED', 'a valid labeller token is required'));
    });
  };
}
