import type { Knex } from 'knex';
import type { LabellerAccess } from '../app/labellerAccess';
import type { Logger } from '@al/media';
import type { LabellingService } from '../services/labelling';
import type { LabellerSessions } from '../services/labellerSession';
import type { ProgressCache } from '../services/progressCache';
import { createHandshake } from './handshake';
import { LeaseKeeper } from './leaseKeeper';
import { ModelUpdateListener } from './modelUpdates';
import { attachPostgresAdapter } from './postgresAdapter';
import { registerLabellingHandlers } from './registerLabellingHandlers';
import type { LabellerServer } from './types';

/** Connects the socket.io server to the queue: handshake, handlers, leases, broadcasts. */
export async function attachSockets(deps: {
  io: LabellerServer;
  knex: Knex;
  databaseUrl: string;
  labellerAccess: LabellerAccess;
  sessions: LabellerSessions;
  ttlSeconds: number;
  labelling: LabellingService;
  progressCache: ProgressCache;
  logger: Logger;
}): Promise<{ close: () => Promise<void> }> {
  const { io, logger } = deps;
  const adapter = await attachPostgresAdapter(deps);
  const models = new ModelUpdateListener(deps);
  await models.start();
  const leases = new LeaseKeeper({
    io,
    knex: deps.knex,
    ttlSeconds: deps.ttlSeconds,
    logger,
    onReleased: (projectId) => {
      deps.progressCache.changed(projectId);
    },
  });
  const releasing = new Set<Promise<void>>();

  io.use(createHandshake({ sessions: deps.sessions, labellerAccess: deps.labellerAccess, logger }));
  io.on('connection', (socket) => {
    registerLabellingHandlers(socket, deps.labelling, logger);
    socket.on('disconnect', () => {
      const done = leases.release(socket.data.session).finally(() => {
        releasing.delete(done);
      });
      releasing.add(done);
    });
  });

  return {
    close: async () => {
      await leases.close();
      await Promise.all(releasing);
      await models.close();
      await adapter.close();
    },
  };
}
