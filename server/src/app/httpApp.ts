import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { redactQueryToken, type Logger } from '@al/media';
import type { ImageService } from '../services/images';
import type { ProjectQueries } from '../services/projectQueries';
import type { ProjectSettings } from '../services/projectSettings';
import type { GoldService } from '../services/gold/goldService';
import { goldRouter } from '../http/goldRouter';
import { adminRouter } from '../http/adminRouter';
import { projectAdminRouter } from '../http/projectAdminRouter';
import type { ImportJobs } from '../services/importJobs';
import { errorHandler, notFound } from '../http/errors';
import { healthRouter } from '../http/healthRouter';
import { imageRouter } from '../http/imageRouter';
import { labellerGuard } from '../http/labellerGuard';
import { originGuard } from '../http/originGuard';
import { projectsRouter } from '../http/projectsRouter';
import { serveUi } from '../http/serveUi';
import { settingsRouter } from '../http/settingsRouter';
import { presignedImageSources } from '../images/presignedImageSources';
import type { LabellerAccess } from './labellerAccess';

/**
 * The HTTP side of the app: security headers, request logs, the origin and token guards, the
 * API routes over their services, and the built UI when there is one.
 */
export function createHttpApp(deps: {
  logger: Logger;
  adminToken: string;
  labellerAccess: LabellerAccess;
  corsOrigins: readonly string[];
  /** Allowed in img-src: where presigned image redirects lead. */
  s3Endpoint: string | undefined;
  queries: ProjectQueries;
  settings: ProjectSettings;
  gold: GoldService;
  images: ImageService;
  imports: ImportJobs;
  uiDir: string | undefined;
}): Express {
  const { adminToken, queries } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Teams reach the labeller over plain http on a LAN address: upgrading its own image and
      // script requests to https would break every page served that way.
      // img-src: projects served by presigned URLs redirect image requests to the bucket.
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: null,
          imgSrc: presignedImageSources(deps.s3Endpoint),
        },
      },
    }),
  );
  // The root logger redacts req.headers.authorization and req.headers.cookie (REDACT_PATHS).
  app.use(
    pinoHttp({
      logger: deps.logger.child({ component: 'http' }),
      // The std serializer's output: `?token=` (image links) must not reach the log in the url.
      serializers: {
        req: (req: { url: string }) => ({ ...req, url: redactQueryToken(req.url) }),
      },
    }),
  );
  app.use(originGuard(deps.corsOrigins));
  app.use(express.json({ limit: '16kb' }));
  app.use(healthRouter(queries));
  // Every /api route needs a labeller (or the admin) token when one is required.
  app.use('/api', labellerGuard(deps.labellerAccess, adminToken));
  app.use('/api', imageRouter(deps.images));
  app.use('/api', adminRouter(queries, adminToken));
  app.use('/api', projectAdminRouter(deps.imports, queries, adminToken));
  app.use('/api', settingsRouter(deps.settings, adminToken));
  app.use('/api', goldRouter(deps.gold, adminToken));
  app.use('/api', projectsRouter(queries));
  if (deps.uiDir !== undefined) app.use(serveUi(deps.uiDir));
  app.use(notFound);
  app.use(errorHandler(deps.logger.child({ component: 'app' })));
  return app;
}
