import pg from 'pg';

export interface ChannelListenerOptions {
  databaseUrl: string;
  channel: string;
  applicationName: string;
  onNotification: (payload: string | undefined) => void;
  /** After a reconnect: NOTIFYs sent while the connection was down are lost, so look again. */
  onReconnected?: () => void;
  /** A dropped connection or a failed reconnect (it keeps retrying). */
  onConnectionError: (err: unknown) => void;
}

/**
 * LISTENs on one channel through a dedicated connection (a pooled one could be handed to a
 * query between notifications). If the connection drops it reconnects with jittered, doubling
 * back-off (1 s up to 30 s), so many processes do not reconnect in lockstep.
 */
export class ChannelListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 1_000;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ChannelListenerOptions) {}

  async start(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.databaseUrl,
      application_name: this.opts.applicationName,
    });
    client.on('notification', (msg) => {
      this.opts.onNotification(msg.payload);
    });
    client.on('error', (err) => {
      this.opts.onConnectionError(err);
      this.reconnectLater();
    });
    client.on('end', () => {
      this.reconnectLater();
    });
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${client.escapeIdentifier(this.opts.channel)}`);
    this.retryMs = 1_000;
  }

  private reconnectLater(): void {
    if (this.closed || this.retryTimer) return;
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    // A broken client may still emit 'error' while it ends; with no listener that would throw.
    client?.on('error', () => undefined);
    client?.end().catch(() => undefined);
    const delay = this.retryMs * (0.5 + Math.random());
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.start().then(
        () => this.opts.onReconnected?.(),
        (err: unknown) => {
          this.opts.onConnectionError(err);
          this.reconnectLater();
        },
      );
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => undefined);
    await client.end().catch(() => undefined);
  }
}
