import { ackError } from './ackErrors';
import type { LabellerServer } from './types';

/** Requests that hand out a new lease; refused once shutdown has begun. */
const HAND_OUT_EVENTS = new Set(['sample:next', 'sample:undo']);

/**
 * Lets a shutdown finish what labellers already sent. Every acked request is counted from
 * arrival to ack; after `startDraining` new hand-outs are answered UNAVAILABLE (the client
 * retries, on this server's successor or another replica) while labels and skips still go
 * through, so nobody's work is turned away; `drained` resolves once nothing is in flight.
 * A per-socket packet middleware sees the ack callback as the packet's last argument and
 * wraps it, so the handlers stay unaware of shutdown.
 */
export class RequestDrain {
  private inFlight = 0;
  /** open: all served; draining: no hand-outs; closed: nothing (the sockets are about to go). */
  private phase: 'open' | 'draining' | 'closed' = 'open';
  private idleWaiters: (() => void)[] = [];

  constructor(io: LabellerServer) {
    io.on('connection', (socket) => {
      socket.use((packet, next) => {
        const last = packet.length - 1;
        const ack: unknown = packet[last];
        if (typeof ack !== 'function') {
          next();
          return;
        }
        const refused =
          this.phase === 'closed' || (this.phase === 'draining' && HAND_OUT_EVENTS.has(packet[0]));
        if (refused) {
          (ack as (res: unknown) => void)(
            ackError('UNAVAILABLE', 'the server is shutting down; try again in a moment'),
          );
          return;
        }
        this.inFlight += 1;
        let settled = false;
        packet[last] = (...args: unknown[]) => {
          if (!settled) {
            settled = true;
            this.inFlight -= 1;
            if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
          }
          (ack as (...a: unknown[]) => void)(...args);
        };
        next();
      });
    });
  }

  /**
   * Refuses hand-outs, waits until nothing is in flight, then refuses everything and waits for
   * what slipped in meanwhile. Gives up after `timeoutMs` (a stuck query must not hang exit)
   * and says how many requests were still running: their clients resend them elsewhere.
   */
  async drain(timeoutMs: number): Promise<{ leftInFlight: number }> {
    const deadline = Date.now() + timeoutMs;
    this.phase = 'draining';
    await this.idle(timeoutMs);
    this.phase = 'closed';
    return this.idle(Math.max(0, deadline - Date.now()));
  }

  private idle(timeoutMs: number): Promise<{ leftInFlight: number }> {
    if (this.inFlight === 0) return Promise.resolve({ leftInFlight: 0 });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve({ leftInFlight: this.inFlight });
      }, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve({ leftInFlight: 0 });
      });
    });
  }
}
