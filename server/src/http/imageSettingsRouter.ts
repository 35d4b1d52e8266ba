import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { getProjectByName, updateProjectImageSettings, type DbProjectRow } from '@al/db';
import { ThumbnailSuffixSchema } from '@al/media';
import { errorBody } from './errors';
import { projectFromParams } from './projectFromParams';

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
    const project = await projectFromParams(knex, req, res);
    if (!project) return;
    res.json({ images: view(project) });
  });

  router.put(path, ...guard, async (req, res) => {
    const body = ImageSettingsSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
      return;
    }
    const project = await projectFromParams(knex, req, res);
    if (!project) return;
    await updateProjectImageSettings({ tx: knex, projectId: project.id, ...body.data });
    const updated = await getProjectByName({ tx: knex, name: project.name });
    res.json({ images: updated ? view(updated) : view(project) });
  });

  return router;
}
