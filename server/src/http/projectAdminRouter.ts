import { Router } from 'express';
import * as zm from 'zod/mini';
import { z } from 'zod';
import {
  ArchiveStateSchema,
  CreateProjectRequestSchema,
  type ArchiveState,
  type ImportAccepted,
  type ImportJob,
} from '@al/contract';
import { ImportConflictError, ImportRequestError, type ImportJobs } from '../services/importJobs';
import type { ProjectQueries } from '../services/projectQueries';
import { adminGuard } from './adminGuard';
import { errorBody, type JsonResponse } from './errors';
import { projectParam } from './projectParams';

const ImportParamsSchema = z.object({
  importId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** An import request refused as given (400) or clashing with what exists (409); else rethrown. */
function refusal(err: unknown): { status: 400 | 409; body: ReturnType<typeof errorBody> } {
  if (err instanceof ImportRequestError)
    return { status: 400, body: errorBody('BAD_REQUEST', err.message) };
  if (err instanceof ImportConflictError)
    return { status: 409, body: errorBody('CONFLICT', err.message) };
  throw err;
}

/**
 * Projects made and kept from the admin page: create one from a folder or an S3 prefix (the
 * import runs in the background, followed by polling its job), re-scan a project's sources for
 * new images, and archive or unarchive it. Admin token; 30 starts and 240 reads a minute.
 */
export function projectAdminRouter(
  imports: ImportJobs,
  queries: ProjectQueries,
  adminToken: string,
): Router {
  const router = Router();
  const startGuard = adminGuard(adminToken, 30);
  const readGuard = adminGuard(adminToken, 240);

  router.post('/projects', ...startGuard, async (req, res: JsonResponse<ImportAccepted>) => {
    const body = CreateProjectRequestSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(errorBody('BAD_REQUEST', zm.prettifyError(body.error)));
      return;
    }
    try {
      res.status(202).json({ importId: await imports.create(body.data) });
    } catch (err) {
      const { status, body: answer } = refusal(err);
      res.status(status).json(answer);
    }
  });

  router.post(
    '/projects/:project/rescan',
    ...startGuard,
    async (req, res: JsonResponse<ImportAccepted>) => {
      try {
        res.status(202).json({ importId: await imports.rescan(projectParam(req)) });
      } catch (err) {
        const { status, body } = refusal(err);
        res.status(status).json(body);
      }
    },
  );

  router.get('/imports/:importId', ...readGuard, (req, res: JsonResponse<ImportJob>) => {
    const params = ImportParamsSchema.safeParse(req.params);
    const job = params.success ? imports.get(params.data.importId) : undefined;
    if (!job) {
      res
        .status(404)
        .json(errorBody('NOT_FOUND', 'no such import (they are kept until a restart)'));
      return;
    }
    res.json(job);
  });

  router.post(
    '/projects/:project/archive',
    ...startGuard,
    async (req, res: JsonResponse<ArchiveState>) => {
      const body = ArchiveStateSchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json(errorBody('BAD_REQUEST', 'expected { "archived": true | false }'));
        return;
      }
      await queries.setArchived(projectParam(req), body.data.archived);
      res.json(body.data);
    },
  );

  return router;
}
