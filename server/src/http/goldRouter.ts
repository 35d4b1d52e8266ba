import express, { Router, type Response } from 'express';
import { z } from 'zod';
import {
  GoldShareSchema,
  GoldUploadSchema,
  type GoldList,
  type GoldShare,
  type GoldUploadResult,
} from '@al/contract';
import { GoldInputError } from '../services/gold/goldCsv';
import type { GoldService } from '../services/gold/goldService';
import { adminGuard } from './adminGuard';
import { errorBody, type JsonResponse } from './errors';
import { projectParam } from './projectParams';

const SampleParamsSchema = z.object({
  sampleId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
/** Gold answers are set by the admin; the name goes into each row's created_by. */
const CREATED_BY = 'admin';

/** A refused upload answers 400 with what was wrong; anything else goes to the error handler. */
async function answerInputErrors(res: Response, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof GoldInputError)) throw err;
    res.status(400).json(errorBody('BAD_REQUEST', err.message));
  }
}

/**
 * Admin-only gold checks: list the gold images with the share, add gold answers (JSON items or
 * a `text/csv` upload of `uri,label`), retire one, set the share.
 */
export function goldRouter(gold: GoldService, adminToken: string): Router {
  const router = Router();
  const guard = adminGuard(adminToken, 60);

  router.get('/projects/:project/gold', ...guard, async (req, res: JsonResponse<GoldList>) => {
    res.json(await gold.list(projectParam(req)));
  });

  router.post(
    '/projects/:project/gold',
    ...guard,
    express.text({ type: 'text/csv', limit: '10mb' }),
    async (req, res: JsonResponse<GoldUploadResult>) => {
      const project = projectParam(req);
      await answerInputErrors(res, async () => {
        if (typeof req.body === 'string') {
          res.status(201).json(await gold.addCsv(project, req.body, CREATED_BY));
          return;
        }
        const body = GoldUploadSchema.safeParse(req.body);
        if (!body.success) {
          res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
          return;
        }
        res.status(201).json(await gold.addItems(project, body.data.items, CREATED_BY));
      });
    },
  );

  router.delete('/projects/:project/gold/:sampleId', ...guard, async (req, res) => {
    const params = SampleParamsSchema.safeParse(req.params);
    if (!params.success) {
      res.status(400).json(errorBody('BAD_REQUEST', 'expected /projects/<name>/gold/<sample id>'));
      return;
    }
    if (!(await gold.retire(projectParam(req), params.data.sampleId, CREATED_BY))) {
      res.status(404).json(errorBody('NOT_FOUND', 'no such image in this project'));
      return;
    }
    res.status(204).end();
  });

  router.put(
    '/projects/:project/gold/share',
    ...guard,
    async (req, res: JsonResponse<GoldShare>) => {
      const body = GoldShareSchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
        return;
      }
      await gold.setShare(projectParam(req), body.data.share);
      res.json(body.data);
    },
  );

  return router;
}
