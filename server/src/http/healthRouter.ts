import { Router } from 'express';
import type { Health } from '@al/contract';
import type { ProjectQueries } from '../services/projectQueries';
import { errorBody, type JsonResponse } from './errors';

export function healthRouter(queries: ProjectQueries): Router {
  const router = Router();
  router.get('/healthz', async (_req, res: JsonResponse<Health>) => {
    try {
      await queries.ping();
      res.json({ status: 'ok' });
    } catch {
      // The cause is in the database's own logs; a probe only needs up or down.
      res.status(503).json(errorBody('INTERNAL', 'database unreachable'));
    }
  });
  return router;
}
