import { Router } from 'express';
import { z } from 'zod';
import { acquisitionSettingsSchema, type AcquisitionSettingsAnswer } from '@al/contract';
import type { ProjectSettings } from '../services/projectSettings';
import { adminGuard } from './adminGuard';
import { errorBody, type JsonResponse } from './errors';
import { imageSettingsRouter } from './imageSettingsRouter';
import { projectParam } from './projectParams';

/**
 * Admin-only: read and replace a project's acquisition settings; keys left out of a PUT take
 * their defaults. The admin page also uses GET to check a token before it shows anything.
 */
export function settingsRouter(settings: ProjectSettings, adminToken: string): Router {
  const router = Router();
  const guard = adminGuard(adminToken, 60);
  // Image delivery and thumbnail suffix: GET/PUT /projects/:project/settings/images.
  router.use(imageSettingsRouter(settings, guard));

  router.get(
    '/projects/:project/settings',
    ...guard,
    async (req, res: JsonResponse<AcquisitionSettingsAnswer>) => {
      res.json(await settings.acquisition(projectParam(req)));
    },
  );

  router.put(
    '/projects/:project/settings',
    ...guard,
    async (req, res: JsonResponse<AcquisitionSettingsAnswer>) => {
      const body = acquisitionSettingsSchema.safeParse(req.body);
      if (!body.success) {
        res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
        return;
      }
      res.json(await settings.replaceAcquisition(projectParam(req), body.data));
    },
  );

  return router;
}
