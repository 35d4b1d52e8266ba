import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { secretsEqual } from '../app/labellerAccess';
import { errorBody } from './errors';

/**
 * Middleware for admin-only routes: a per-address rate limit first (so guessing tokens is slow
 * too), then `Authorization: Bearer <admin token>` compared in constant time.
 */
export function adminGuard(adminToken: string, perMinute: number): RequestHandler[] {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('RATE_LIMITED', 'too many admin requests; retry later'));
    },
  });
  const requireToken: RequestHandler = (req, res, next) => {
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (given === undefined || !secretsEqual(given, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json(errorBody('UNAUTHORIZED', 'a valid admin token is required'));
      return;
    }
    next();
  };
  return [limiter, requireToken];
}
