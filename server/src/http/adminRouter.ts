import { Router } from 'express';
import { z } from 'zod';
import {
  ExclusionStateSchema,
  type AgreementReport,
  type ExclusionState,
  type RetrainAccepted,
  type RetrainJob,
} from '@al/contract';
import type { ProjectQueries } from '../services/projectQueries';
import { adminGuard } from './adminGuard';
import { errorBody, type JsonResponse } from './errors';
import { projectParam } from './projectParams';
import { addReviewRoutes } from './reviewRoutes';

const LabellerParamSchema = z.string().min(1).max(200);

const JobParamsSchema = z.object({
  jobId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/**
 * Admin actions: ask for a retrain, and follow the job it started (queued → running → done |
 * failed, with the version of the model it produced). The rate limit runs before the token
 * check so guessing tokens is slow too: 30 retrains a minute per address, and 120 job reads,
 * which leaves room for polling every second or two.
 */
export function adminRouter(queries: ProjectQueries, adminToken: string): Router {
  const router = Router();
  // Mounted under /api beside other routers: guard only the admin routes, not the whole mount.
  const retrainGuard = adminGuard(adminToken, 30);
  const pollGuard = adminGuard(adminToken, 120);

  router.post(
    '/projects/:project/retrain',
    ...retrainGuard,
    async (req, res: JsonResponse<RetrainAccepted>) => {
      res.status(202).json(await queries.requestRetrain(projectParam(req), 'admin'));
    },
  );

  router.get(
    '/projects/:project/retrain/:jobId',
    ...pollGuard,
    async (req, res: JsonResponse<RetrainJob>) => {
      const params = JobParamsSchema.safeParse(req.params);
      if (!params.success) {
        res
          .status(400)
          .json(errorBody('BAD_REQUEST', 'expected /projects/<name>/retrain/<job id>'));
        return;
      }
      const job = await queries.retrainJob(projectParam(req), params.data.jobId);
      if (!job) {
        res.status(404).json(errorBody('NOT_FOUND', 'no such retrain job in this project'));
        return;
      }
      res.json(job);
    },
  );

  // Leave a labeller's answers out of training and final labels (kept; undone the same way).
  router.post(
    '/projects/:project/labellers/:labeller/exclusion',
    ...retrainGuard,
    async (req, res: JsonResponse<ExclusionState>) => {
      const body = ExclusionStateSchema.safeParse(req.body);
      const labeller = LabellerParamSchema.safeParse(req.params.labeller);
      if (!body.success || !labeller.success) {
        res
          .status(400)
          .json(
            errorBody('BAD_REQUEST', 'expected { "excluded": true | false } for a labeller name'),
          );
        return;
      }
      await queries.setExcluded(projectParam(req), labeller.data, body.data.excluded);
      res.json(body.data);
    },
  );

  // The images most likely to carry a wrong final label, and a reviewer's decisions on them.
  addReviewRoutes(router, queries, {
    listGuard: pollGuard,
    decideGuard: adminGuard(adminToken, 300),
  });

  // Who agrees with whom: admin only, it rates people.
  router.get(
    '/projects/:project/agreement',
    ...pollGuard,
    async (req, res: JsonResponse<AgreementReport>) => {
      res.json(await queries.agreement(projectParam(req)));
    },
  );

  return router;
}
