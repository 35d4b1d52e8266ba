import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built labeller UI: static assets, and index.html for any other GET outside /api and
 * /socket.io so client-side routes survive a reload.
 */
export function serveUi(uiDir: string): Router {
  const root = path.resolve(uiDir);
  const router = Router();
  router.use(express.static(root, { index: 'index.html', maxAge: '1h' }));
  router.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res, next) => {
    res.sendFile(path.join(root, 'index.html'), (err) => {
      if (err) next();
    });
  });
  return router;
}
