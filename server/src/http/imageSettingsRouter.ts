import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { IMAGE_DELIVERIES, type ImageSettingsAnswer } from '@al/contract';
import { ImagePageSchema, ThumbnailSuffixSchema } from '@al/media';
import type { ProjectSettings } from '../services/projectSettings';
import { errorBody, type JsonResponse } from './errors';
import { projectParam } from './projectParams';

/** Keys left out keep their value; `thumbnailSuffix: null` turns thumbnails off. */
const ImageSettingsChangeSchema = z
  .object({
    delivery: z.enum(IMAGE_DELIVERIES).optional(),
    thumbnailSuffix: ThumbnailSuffixSchema.nullable().optional(),
    page: ImagePageSchema.optional(),
  })
  .strict();

/**
 * Admin-only, beside the acquisition settings: how a project's images reach the browser
 * (`proxy`: resized by the server; `presign`: 302 to a presigned S3 URL) and the thumbnail
 * suffix thumbnails are written under and read from, and which page of multi-page images
 * (TIFF stacks) is shown and learnt from.
 */
export function imageSettingsRouter(settings: ProjectSettings, guard: RequestHandler[]): Router {
  const router = Router();
  const path = '/projects/:project/settings/images';

  router.get(path, ...guard, async (req, res: JsonResponse<ImageSettingsAnswer>) => {
    res.json(await settings.images(projectParam(req)));
  });

  router.put(path, ...guard, async (req, res: JsonResponse<ImageSettingsAnswer>) => {
    const body = ImageSettingsChangeSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(errorBody('BAD_REQUEST', z.prettifyError(body.error)));
      return;
    }
    res.json(await settings.updateImages(projectParam(req), body.data));
  });

  return router;
}
