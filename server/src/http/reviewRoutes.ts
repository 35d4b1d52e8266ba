import type { Router, RequestHandler } from 'express';
import { z } from 'zod';
import {
  ReviewDecisionSchema,
  type ReviewCandidate,
  type ReviewEntry,
  type ReviewRecorded,
} from '@al/contract';
import type { ProjectQueries } from '../services/projectQueries';
import type { ReviewOutcome } from '../services/finalLabels/reviewDecisions';
import { errorBody, type JsonResponse } from './errors';
import { projectParam } from './projectParams';

const ReviewQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(10_000).default(50),
});
const SampleParamSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Sends a service outcome: the value with `status`, or the refusal's status and message. */
function send<T>(res: JsonResponse<T>, outcome: ReviewOutcome<T>, status = 200): void {
  if (outcome.ok) {
    res.status(status).json(outcome.value);
    return;
  }
  res
    .status(outcome.status)
    .json(errorBody(outcome.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', outcome.message));
}

/**
 * The review queue (admin): the images most likely to carry a wrong final label, and a
 * reviewer's decisions on them. `listGuard` allows polling; `decideGuard` has room for a reviewer
 * going through images by keyboard (a decision a second or so).
 */
export function addReviewRoutes(
  router: Router,
  queries: ProjectQueries,
  guards: { listGuard: RequestHandler[]; decideGuard: RequestHandler[] },
): void {
  router.get(
    '/projects/:project/review',
    ...guards.listGuard,
    async (req, res: JsonResponse<ReviewCandidate[]>) => {
      const query = ReviewQuerySchema.safeParse(req.query);
      if (!query.success) {
        res
          .status(400)
          .json(errorBody('BAD_REQUEST', 'limit must be a whole number from 1 to 10000'));
        return;
      }
      res.json(await queries.review(projectParam(req), query.data.limit));
    },
  );

  router.post(
    '/projects/:project/review/:sampleId',
    ...guards.decideGuard,
    async (req, res: JsonResponse<ReviewRecorded>) => {
      const sampleId = SampleParamSchema.safeParse(req.params.sampleId);
      const body = ReviewDecisionSchema.safeParse(req.body);
      if (!sampleId.success || !body.success) {
        const message = !sampleId.success
          ? 'expected /projects/<name>/review/<sample id>'
          : 'expected { "label": option | [options], "reviewer"?: 1–100 characters }';
        res.status(400).json(errorBody('BAD_REQUEST', message));
        return;
      }
      const project = projectParam(req);
      send(res, await queries.decideReview(project, sampleId.data, body.data), 201);
    },
  );

  router.get(
    '/projects/:project/review/:sampleId/history',
    ...guards.listGuard,
    async (req, res: JsonResponse<ReviewEntry[]>) => {
      const sampleId = SampleParamSchema.safeParse(req.params.sampleId);
      if (!sampleId.success) {
        res
          .status(400)
          .json(errorBody('BAD_REQUEST', 'expected /projects/<name>/review/<sample id>/history'));
        return;
      }
      send(res, await queries.reviewHistory(projectParam(req), sampleId.data));
    },
  );
}
