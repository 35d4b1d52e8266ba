import { createServer, type Server as HttpServer } from 'node:http';
import type { Knex } from 'knex';
import { Server } from 'socket.io';
import type { Config } from '../config';
import { projectRoom, s3EndpointOf, SOCKET_PATH } from '@al/contract';
import { createDatasource, type Logger } from '@al/media';
import { ImageService } from '../services/images';
import { LabellingService } from '../services/labelling';
import { ProjectQueries } from '../services/projectQueries';
import { ProjectSettings } from '../services/projectSettings';
import { LabellerSessions } from '../services/labellerSession';
import { ProgressCache } from '../services/progressCache';
import { originAllowed } from '../http/originGuard';
import { resolveAdminToken } from './adminToken';
import { ImportJobs } from '../services/importJobs';
import { createHttpApp } from './httpApp';
import { GoldService } from '../services/gold/goldService';
import { loadLabellerAccess } from './labellerAccess';
import { attachSockets } from '../socket/attachSockets';
import type { LabellerServer } from '../socket/types';

export interface CreateAppDeps {
  knex: Knex;
  /** For the connections that LISTEN (model updates, socket.io adapter); the pool is `knex`. */
  databaseUrl: string;
  config: Pick<Config, 'ADMIN_TOKEN' | 'LABELLER_TOKEN' | 'LEASE_TTL_SECONDS'> &
    Partial<
      Pick<
        Config,
        | 'LABELLER_TOKENS_FILE'
        | 'CORS_ORIGINS'
        | 'S3_FORCE_PATH_STYLE'
        | 'AWS_ENDPOINT_URL_S3'
        | 'AWS_ENDPOINT_URL'
      >
    >;
  logger: Logger;
  /** Folder of the built labeller UI (index.html + assets); not served when absent. */
  uiDir?: string;
  /** Tuning for tests and benchmarks. */
  progress?: { maxAgeMs?: number; broadcastEveryMs?: number };
  imageCacheBytes?: number;
}

export interface App {
  httpServer: HttpServer;
  io: LabellerServer;
  /** The admin token in force (configured or generated). */
  adminToken: string;
  /** Stops timers, listeners and sockets; closes the HTTP server if it was listening. */
  close: () => Promise<void>;
}

/** Socket messages are small JSON; anything bigger is a misbehaving client. */
const SOCKET_MAX_MESSAGE_BYTES = 64 * 1024;

function createSocketServer(
  httpServer: HttpServer,
  corsOrigins: readonly string[],
): LabellerServer {
  return new Server(httpServer, {
    path: SOCKET_PATH,
    maxHttpBufferSize: SOCKET_MAX_MESSAGE_BYTES,
    serveClient: false,
    // WebSockets are outside CORS: a page on any site could open one. Refuse foreign origins.
    allowRequest: (req, callback) => {
      callback(null, originAllowed(req, new Set(corsOrigins)));
    },
    cors: corsOrigins.length > 0 ? { origin: [...corsOrigins] } : undefined,
  });
}

/**
 * Builds the HTTP API and the socket.io server on one http.Server. It never listens: the
 * caller (start CLI, tests, benchmark) calls `httpServer.listen(port)`.
 */
export async function createApp(deps: CreateAppDeps): Promise<App> {
  const logger = deps.logger.child({ component: 'app' });
  const adminToken = resolveAdminToken(deps.config.ADMIN_TOKEN, logger);
  const labellerAccess = await loadLabellerAccess({
    sharedToken: deps.config.LABELLER_TOKEN,
    tokensFile: deps.config.LABELLER_TOKENS_FILE,
    onReloadError: (err: unknown) => {
      logger.warn({ err }, 'labeller tokens file unreadable; keeping the tokens read before');
    },
  });
  const corsOrigins = deps.config.CORS_ORIGINS ?? [];
  const imports = new ImportJobs(deps.knex, deps.logger.child({ component: 'imports' }), {
    forcePathStyle: deps.config.S3_FORCE_PATH_STYLE ?? false,
  });
  const httpApp = createHttpApp({
    logger: deps.logger,
    adminToken,
    labellerAccess,
    corsOrigins,
    s3Endpoint: s3EndpointOf(deps.config),
    queries: new ProjectQueries(deps.knex),
    settings: new ProjectSettings(deps.knex),
    gold: new GoldService(deps.knex),
    images: new ImageService(deps.knex, {
      cacheBytes: deps.imageCacheBytes ?? 64 * 2 ** 20,
      logger: deps.logger.child({ component: 'images' }),
      s3DatasourceFor: (root) =>
        createDatasource(root, { forcePathStyle: deps.config.S3_FORCE_PATH_STYLE ?? false }),
    }),
    imports,
    uiDir: deps.uiDir,
  });
  const httpServer = createServer(httpApp);
  const io = createSocketServer(httpServer, corsOrigins);

  const progressCache = new ProgressCache(deps.knex, {
    maxAgeMs: deps.progress?.maxAgeMs ?? 200,
    broadcastEveryMs: deps.progress?.broadcastEveryMs ?? 300,
    broadcast: (projectId, progress) => {
      io.to(projectRoom(projectId)).emit('progress:update', progress);
    },
    onError: (err) => {
      logger.warn({ err }, 'progress broadcast failed');
    },
  });
  const sockets = await attachSockets({
    io,
    knex: deps.knex,
    databaseUrl: deps.databaseUrl,
    labellerAccess,
    sessions: new LabellerSessions(deps.knex),
    ttlSeconds: deps.config.LEASE_TTL_SECONDS,
    labelling: new LabellingService({
      knex: deps.knex,
      progressCache,
      ttlSeconds: deps.config.LEASE_TTL_SECONDS,
    }),
    progressCache,
    logger: deps.logger.child({ component: 'socket' }),
  });

  const close = async () => {
    progressCache.close();
    await imports.close();
    // io.close disconnects every socket (each releases its leases) and closes the adapter's
    // LISTEN client, which must be back in its pool before sockets.close ends that pool.
    await new Promise<void>((resolve) => {
      void io.close(() => {
        resolve();
      });
    });
    await sockets.close();
  };
  return { httpServer, io, adminToken, close };
}
