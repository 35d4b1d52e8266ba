import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { getProjectByName, updateProjectImageSettings, type DbProjectRow } from '@al/db';
import { ThumbnailSuffixSchema } from '../images/thumbnailPath';
import { errorBody } from './errors';

const ParamsSchema = z.object({ project: z.string().min(1).max(100) });
/** Keys left out keep their value; `thumbnailSuffix: null` turns thumbnails off. */
const ImageSettingsSchema = z
  .object({
    delivery: z.enum(['proxy', 'presign']).optional(),
    thumbnailSuffix: ThumbnailSuffixSchema.nullable().optional(),
  })
  .strict();

function view(project: DbProjectRow) {
  return { delivery: project.image_delivery, thumbnailSuffix: project.thumbnail_suffix };
}

/**
 * Admin-only, beside the acquisition settings: how a project's images reach the browser
 * (`proxy`: resized by the server; `presign`: 302 to a presigned S3 URL) and the thumbnail
 * suffix thumbnails are written under and read from.
 */
export function imageSettingsRouter(knex: Knex, guard: RequestHandler[]): Router {
  const router = Router();
  const path = '/projects/:project/settings/images';

  router.get(path, ...guard, async (req, res) => {
    const params = ParamsSchema.safeParse(req.params);
    const project = params.success
      ? await getProjectByName({ tx: knex, name: params.data.project })
      : undefined;
    if (!project) {
      res.status(404).json(errorBody('NOT_FOUND', 'no such project'));
      return;
    }
    res.json({ images: view(project) });
  });

  router.put(path, ...guard, async (req, res) => {
    const params = ParamsSchema.safeParse(req.params);
    const body = ImageSettingsSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
      return;
    }
    const project = params.success
      ? await getProjectByName({ tx: knex, name: params.data.project })
      : undefined;
    if (!project) {
      res.status(404).json(errorBody('NOT_FOUND', 'no such project'));
      return;
    }
    await updateProjectImageSettings({ tx: knex, projectId: project.id, ...body.data });
    const updated = await getProjectByName({ tx: knex, name: project.name });
    res.json({ images: updated ? view(updated) : view(project) });
  });

  return router;
}
