import { Router, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { ProjectQueries } from '../services/projectQueries';
import { secretsEqual } from '../socket/handshake';
import { errorBody } from './errors';

const ProjectParamsSchema = z.object({ project: z.string().min(1).max(100) });

/** Accepts only `Authorization: Bearer <admin token>`, compared in constant time. */
function requireAdmin(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const given = match?.[1];
    if (given === undefined || !secretsEqual(given, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json(errorBody('UNAUTHORIZED', 'a valid admin token is required'));
      return;
    }
    next();
  };
}

/**
 * Admin actions. The rate limit runs before the token check so guessing tokens is slow too
 * (30 requests per minute per client address).
 */
export function adminRouter(queries: ProjectQueries, adminToken: string): Router {
  const router = Router();
  // Mounted under /api beside other routers: guard only the admin routes, not the whole mount.
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: 30,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json(errorBody('RATE_LIMITED', 'too many admin requests; retry later'));
    },
  });
  const admin = requireAdmin(adminToken);

  router.post('/projects/:project/retrain', limiter, admin, async (req, res) => {
    const params = ProjectParamsSchema.safeParse(req.params);
    if (!params.success) {
      res.status(400).json(errorBody('BAD_REQUEST', 'bad project name'));
      return;
    }
    const { jobId } = await queries.requestRetrain(params.data.project, 'admin');
    res.status(202).json({ jobId });
  });

  return router;
}
