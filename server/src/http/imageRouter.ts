import { Router } from 'express';
import { z } from 'zod';
import {
  IMAGE_SIZE_DEFAULT,
  IMAGE_SIZE_MAX,
  IMAGE_SIZE_MIN,
  type ImageService,
} from '../services/images';
import { errorBody } from './errors';

const ParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
/**
 * A size outside the bounds is clamped (an ask for 5,000 px gets 4,096: a zoomed viewer's
 * fetch), never enlarged past the original; junk is a 400.
 */
const QuerySchema = z.object({
  size: z.coerce
    .number()
    .int()
    .default(IMAGE_SIZE_DEFAULT)
    .transform((n) => Math.min(IMAGE_SIZE_MAX, Math.max(IMAGE_SIZE_MIN, n))),
});

export function imageRouter(images: ImageService): Router {
  const router = Router();
  router.get('/samples/:id/image', async (req, res) => {
    const params = ParamsSchema.safeParse(req.params);
    const query = QuerySchema.safeParse(req.query);
    if (!params.success || !query.success) {
      res.status(400).json(errorBody('BAD_REQUEST', 'expected /api/samples/<id>/image?size=<px>'));
      return;
    }
    const answer = await images.resized(params.data.id, query.data.size, req.get('if-none-match'));
    switch (answer.kind) {
      case 'not-found':
        res.status(404).json(errorBody('NOT_FOUND', 'no such image'));
        return;
      case 'redirect':
        // The browser fetches the original straight from the bucket; imageUrl stays ours.
        res.setHeader('Cache-Control', `private, max-age=${String(answer.maxAgeSeconds)}`);
        res.redirect(302, answer.url);
        return;
      case 'not-modified':
        res.setHeader('ETag', answer.etag);
        res.status(304).end();
        return;
      case 'image':
        // Content-addressed (hash in the ETag), so clients may keep it a day and revalidate.
        res.setHeader('ETag', answer.etag);
        res.setHeader('Cache-Control', 'private, max-age=86400');
        res.type(answer.contentType);
        res.send(answer.body);
        return;
    }
  });
  return router;
}
