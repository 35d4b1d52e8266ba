import type { Knex } from 'knex';
import { isDatabaseUnavailable, releaseLeases, renewLeases } from '@al/db';
import type { Logger } from '@al/media';
import type { LabellerSession } from '../services/labellerSession';
import type { LabellerServer } from './types';

/**
 * Keeps the leases of connected labellers alive and ends them when a socket goes away.
 * Renewal runs every TTL/3 over this process's sockets only, so a lease survives two missed
 * renewals; a crashed process simply stops renewing and its leases lapse within one TTL.
 */
export class LeaseKeeper {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      io: LabellerServer;
      knex: Knex;
      ttlSeconds: number;
      logger: Logger;
      onReleased: (projectId: number) => void;
    },
  ) {
    this.timer = setInterval(
      () => {
        this.running ??= this.renewAll().finally(() => {
          this.running = undefined;
        });
      },
      Math.max(1000, (deps.ttlSeconds * 1000) / 3),
    );
    this.timer.unref();
  }

  private async renewAll(): Promise<void> {
    for (const socket of this.deps.io.of('/').sockets.values()) {
      const session = socket.data.session;
      if (session.held.size === 0) continue;
      try {
        const held = [...session.held];
        const renewed = new Set(
          await renewLeases({
            tx: this.deps.knex,
            labeller: session.labeller,
            sampleIds: held,
            ttlSeconds: this.deps.ttlSeconds,
          }),
        );
        // A lease not renewed was lost (lapsed and taken, or the sample is done): stop tracking.
        for (const id of held) if (!renewed.has(id)) session.held.delete(id);
      } catch (err) {
        if (isDatabaseUnavailable(err)) {
          // One line per round, not one per socket: the next round (TTL/3 later) tries again,
          // and a lease survives two missed rounds, so a short restart costs nobody a lease.
          this.deps.logger.warn('lease renewal skipped: database unavailable');
          return;
        }
        this.deps.logger.warn({ err, labeller: session.labeller }, 'lease renewal failed');
      }
    }
  }

  /** Frees what a departing socket still held so others get it now rather than after the TTL. */
  async release(session: LabellerSession): Promise<void> {
    if (session.held.size === 0) return;
    const ids = [...session.held];
    session.held.clear();
    try {
      await releaseLeases({ tx: this.deps.knex, labeller: session.labeller, sampleIds: ids });
      this.deps.onReleased(session.project.id);
    } catch (err) {
      // With the database away the leases simply lapse after their TTL.
      this.deps.logger.warn(
        isDatabaseUnavailable(err)
          ? { labeller: session.labeller }
          : { err, labeller: session.labeller },
        'lease release failed',
      );
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
