import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { getProjectByName, getRetrainJob } from '@al/db';
import { adminGuard } from './adminGuard';
import { errorBody } from './errors';

const ParamsSchema = z.object({
  project: z.string().min(1).max(100),
  jobId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/**
 * Admin-only: the state of a retrain job (queued → running → done | failed) and the version of
 * the model it produced, so the admin page can follow the job it started. Its own rate limit
 * (120 a minute) leaves room for polling every second or two.
 */
export function retrainJobRouter(knex: Knex, adminToken: string): Router {
  const router = Router();
  router.get(
    '/projects/:project/retrain/:jobId',
    ...adminGuard(adminToken, 120),
    async (req, res) => {
      const params = ParamsSchema.safeParse(req.params);
      if (!params.success) {
        res
          .status(400)
          .json(errorBody('BAD_REQUEST', 'expected /projects/<name>/retrain/<job id>'));
        return;
      }
      const project = await getProjectByName({ tx: knex, name: params.data.project });
      const job = project
        ? await getRetrainJob({ tx: knex, projectId: project.id, jobId: params.data.jobId })
        : undefined;
      if (!job) {
        res.status(404).json(errorBody('NOT_FOUND', 'no such retrain job in this project'));
        return;
      }
      res.json({
        jobId: job.id,
        status: job.status,
        reason: job.reason,
        error: job.error,
        createdAt: job.created_at,
        startedAt: job.started_at,
        finishedAt: job.finished_at,
        modelVersion: job.model_version,
      });
    },
  );
  return router;
}
