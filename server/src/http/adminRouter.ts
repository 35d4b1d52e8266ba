import { Router } from 'express';
import { z } from 'zod';
import type { ProjectQueries } from '../services/projectQueries';
import { adminGuard } from './adminGuard';
import { errorBody } from './errors';

const ProjectParamsSchema = z.object({ project: z.string().min(1).max(100) });

/**
 * Admin actions. The rate limit runs before the token check so guessing tokens is slow too
 * (30 requests per minute per client address).
 */
export function adminRouter(queries: ProjectQueries, adminToken: string): Router {
  const router = Router();
  // Mounted under /api beside other routers: guard only the admin routes, not the whole mount.
  const guard = adminGuard(adminToken, 30);

  router.post('/projects/:project/retrain', ...guard, async (req, res) => {
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
