import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { updateProjectAcquisition } from '@al/db';
import {
  AcquisitionSettingsError,
  acquisitionSettingsSchema,
  parseAcquisitionSettings,
} from '@al/contract';
import { ACQUISITION_FUNCTION_NAMES } from '@al/contract';
import { adminGuard } from './adminGuard';
import { errorBody } from './errors';
import { projectFromParams } from './projectFromParams';
import { imageSettingsRouter } from './imageSettingsRouter';

/** What a settings form may offer for the enumerated keys. */
const CHOICES = { function: ACQUISITION_FUNCTION_NAMES };

/**
 * Admin-only: read and replace a project's acquisition settings. The schema is the
 * orchestrator's own (the one that reads them), so what is accepted here is exactly what a
 * retrain will use; keys left out take their defaults. The admin page also uses GET to check a
 * token before it shows anything.
 */
export function settingsRouter(knex: Knex, adminToken: string): Router {
  const router = Router();
  const guard = adminGuard(adminToken, 60);
  // Image delivery and thumbnail suffix: GET/PUT /projects/:project/settings/images.
  router.use(imageSettingsRouter(knex, guard));

  router.get('/projects/:project/settings', ...guard, async (req, res) => {
    const project = await projectFromParams(knex, req, res);
    if (!project) return;
    try {
      res.json({
        settings: parseAcquisitionSettings(project.acquisition),
        problem: null,
        choices: CHOICES,
      });
    } catch (err) {
      if (!(err instanceof AcquisitionSettingsError)) throw err;
      // A hand-edited row the orchestrator would refuse: show the defaults and say why.
      res.json({ settings: parseAcquisitionSettings({}), problem: err.message, choices: CHOICES });
    }
  });

  router.put('/projects/:project/settings', ...guard, async (req, res) => {
    const body = acquisitionSettingsSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
      return;
    }
    const project = await projectFromParams(knex, req, res);
    if (!project) return;
    await updateProjectAcquisition({ tx: knex, projectId: project.id, acquisition: body.data });
    res.json({ settings: body.data, problem: null, choices: CHOICES });
  });

  return router;
}
