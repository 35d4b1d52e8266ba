/**
 * Wakes the job loop when a retrain is requested (LISTEN retrain_requested), and once more
 * after the listening connection comes back, since NOTIFYs sent while it was away are lost;
 * the loop's own jittered polling covers the gap until then.
 */
import { ChannelListener, RETRAIN_REQUESTED_CHANNEL } from '@al/db';
import type { Logger } from 'pino';

export class RetrainWakeups {
  private readonly listener: ChannelListener;

  constructor(deps: { databaseUrl: string; logger: Logger; onWake: () => void }) {
    this.listener = new ChannelListener({
      databaseUrl: deps.databaseUrl,
      channel: RETRAIN_REQUESTED_CHANNEL,
      applicationName: 'orchestrator-listener',
      onNotification: () => {
        deps.onWake();
      },
      onReconnected: () => {
        deps.onWake();
      },
      onConnectionError: (err) => {
        deps.logger.warn({ err }, 'retrain listener connection failed; reconnecting');
      },
    });
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}
