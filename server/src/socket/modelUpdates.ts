import type { Knex } from 'knex';
import { z } from 'zod';
import { ChannelListener, getModelByVersion, MODEL_CREATED_CHANNEL } from '@al/db';
import { parseModelMetrics, projectRoom } from '@al/contract';
import type { Logger } from '@al/media';
import type { LabellerServer } from './types';

const PayloadSchema = z.object({ projectId: z.number().int(), version: z.number().int() });

/**
 * LISTENs on `model_created` through a dedicated connection (a pooled one could be handed to
 * a query mid-notification) and tells the project's labellers about each new model. Every
 * server process receives the NOTIFY itself, so it emits to its own sockets only
 * (`io.local`), not through the adapter — otherwise each labeller would get it once per process.
 */
export class ModelUpdateListener {
  private readonly listener: ChannelListener;

  constructor(
    private readonly deps: {
      databaseUrl: string;
      knex: Knex;
      io: LabellerServer;
      logger: Logger;
    },
  ) {
    this.listener = new ChannelListener({
      databaseUrl: deps.databaseUrl,
      channel: MODEL_CREATED_CHANNEL,
      applicationName: 'labeller-model-listener',
      onNotification: (payload) => {
        void this.onNotification(payload);
      },
      onConnectionError: (err) => {
        deps.logger.warn({ err }, 'model listener connection failed; reconnecting');
      },
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  private async onNotification(payload: string | undefined): Promise<void> {
    try {
      const parsed = PayloadSchema.safeParse(JSON.parse(payload ?? 'null'));
      if (!parsed.success) {
        this.deps.logger.warn({ payload }, 'ignoring malformed model_created notification');
        return;
      }
      const { projectId, version } = parsed.data;
      const model = await getModelByVersion({ tx: this.deps.knex, projectId, version });
      if (!model) return;
      const metrics = parseModelMetrics(model.metrics);
      this.deps.io.local
        .to(projectRoom(projectId))
        .emit('model:updated', { version: model.version, metrics });
    } catch (err) {
      this.deps.logger.error({ err }, 'model update broadcast failed');
    }
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}
