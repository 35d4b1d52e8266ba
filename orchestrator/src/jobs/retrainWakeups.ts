/**
 * Wakes the job loop when a retrain is requested: LISTEN retrain_requested on a dedicated
 * connection (a pooled one could be handed to a query between notifications). If that
 * connection drops, it reconnects with jittered, doubling back-off and wakes the loop once
 * on reconnect, since NOTIFYs sent while it was away are lost; the loop's own jittered
 * polling covers the gap until then.
 */
import { RETRAIN_REQUESTED_CHANNEL } from '@al/db';
import pg from 'pg';
import type { Logger } from 'pino';

export class RetrainWakeups {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 1_000;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { databaseUrl: string; logger: Logger; onWake: () => void }) {}

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.deps.databaseUrl,
      application_name: 'orchestrator-listener',
    });
    client.on('notification', () => {
      this.deps.onWake();
    });
    client.on('error', (err) => {
      this.deps.logger.warn({ err }, 'retrain listener connection failed');
      this.reconnectLater();
    });
    client.on('end', () => {
      this.reconnectLater();
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${RETRAIN_REQUESTED_CHANNEL}`);
    this.retryMs = 1_000;
  }

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
      this.start()
        .then(() => {
          this.deps.onWake();
        })
        .catch((err: unknown) => {
          this.deps.logger.warn({ err }, 'retrain listener reconnect failed');
          this.reconnectLater();
        });
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
  }
}
