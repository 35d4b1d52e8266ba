import type { Knex } from 'knex';
import pg from 'pg';
import { z } from 'zod';
import { getModelByVersion, MODEL_CREATED_CHANNEL } from '@al/db';
import { projectRoom } from '../contract/events';
import type { Logger } from '../logger';
import type { LabellerServer } from './types';

const PayloadSchema = z.object({ projectId: z.number().int(), version: z.number().int() });

/**
 * LISTENs on `model_created` through a dedicated connection (a pooled one could be handed to
 * a query mid-notification) and tells the project's labellers about each new model. Every
 * server process receives the NOTIFY itself, so it emits to its own sockets only
 * (`io.local`), not through the adapter — otherwise each labeller would get it once per process.
 */
export class ModelUpdateListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 1000;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      databaseUrl: string;
      knex: Knex;
      io: LabellerServer;
      logger: Logger;
    },
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.deps.databaseUrl,
      application_name: 'labeller-model-listener',
    });
    client.on('notification', (msg) => {
      void this.onNotification(msg.payload);
    });
    client.on('error', (err) => {
      this.deps.logger.warn({ err }, 'model listener connection failed');
      this.reconnectLater();
    });
    client.on('end', () => {
      this.reconnectLater();
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${MODEL_CREATED_CHANNEL}`);
    this.retryMs = 1000;
  }

  /** Jittered, doubling back-off so many servers do not reconnect in lockstep. */
  private reconnectLater(): void {
    if (this.closed || this.retryTimer) return;
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    client?.end().catch(() => undefined);
    const delay = this.retryMs * (0.5 + Math.random());
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start().catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'model listener reconnect failed');
        this.reconnectLater();
      });
    }, delay);
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
      this.deps.io.local
        .to(projectRoom(projectId))
        .emit('model:updated', { version: model.version, metrics: model.metrics });
    } catch (err) {
      this.deps.logger.error({ err }, 'model update broadcast failed');
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end();
    }
  }
}
