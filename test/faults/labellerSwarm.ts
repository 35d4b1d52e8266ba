/**
 * Real socket.io-client labellers that behave like the labelling page's outbox: each takes a
 * sample, labels it under a fresh clientKey and, until that label is acknowledged, sends it
 * again with the same key: after a timeout, a dropped connection or an UNAVAILABLE answer.
 * Given several server URLs, a labeller that cannot connect to one moves on to the next.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect } from 'socket.io-client';
import type { Ack, ClientEvent, ClientPayload, ClientResult, LabelPayload } from '@al/contract';
import { emitWithAck, type LabellerClient } from '../server/helpers';

/** Outcome of one request: the ack, or why there was none. */
type Reply<T> = Ack<T> | { lost: 'offline' | 'timeout' };

export interface AckedLabel {
  labeller: string;
  clientKey: string;
  at: number;
}

export interface SwarmStats {
  acked: AckedLabel[];
  /** Time of every successful hand-out (a sample, not "nothing left"). */
  handouts: number[];
  /** Error codes (and lost requests) per event, e.g. `sample:label UNAVAILABLE`. */
  errors: Map<string, number>;
  /** Times at which any request was answered UNAVAILABLE. */
  unavailableAt: number[];
  /** Labels sent again under the same key. */
  resends: number;
  /** Labels dropped after a final refusal (never acked, so never counted as acked). */
  refused: { labeller: string; clientKey: string; code: string }[];
}

const ACK_TIMEOUT_MS = 4_000;
const RETRY_MS = 200;
/** Connect failures in a row before a labeller tries the next server URL. */
const FAILOVER_AFTER = 2;

class SwarmLabeller {
  private socket: LabellerClient;
  private urlIndex: number;
  private failures = 0;
  private seq = 0;
  private pending: LabelPayload | undefined;
  private stopping = false;
  private closed = false;
  readonly done: Promise<void>;

  constructor(
    readonly name: string,
    private readonly urls: string[],
    first: number,
    private readonly project: string,
    private readonly stats: SwarmStats,
    private readonly thinkMs: number,
  ) {
    this.urlIndex = first % urls.length;
    this.socket = this.open();
    this.done = this.loop();
  }

  /** The URL index of the server it is on (or trying). */
  get server(): number {
    return this.urlIndex;
  }

  private open(): LabellerClient {
    const socket: LabellerClient = connect(this.urls[this.urlIndex] ?? '', {
      auth: { name: this.name, project: this.project },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    socket.on('connect', () => {
      this.failures = 0;
    });
    socket.on('connect_error', () => {
      this.failures += 1;
      if (this.urls.length > 1 && this.failures >= FAILOVER_AFTER && this.socket === socket) {
        socket.close();
        this.failures = 0;
        this.urlIndex = (this.urlIndex + 1) % this.urls.length;
        this.socket = this.open();
      }
    });
    return socket;
  }

  private async request<E extends ClientEvent>(
    event: E,
    payload: ClientPayload<E>,
  ): Promise<Reply<ClientResult<E>>> {
    if (!this.socket.connected) {
      await sleep(RETRY_MS);
      return { lost: 'offline' };
    }
    try {
      return await emitWithAck(this.socket, event, payload, ACK_TIMEOUT_MS);
    } catch {
      return { lost: 'timeout' };
    }
  }

  private count(event: string, reply: { lost: string } | { error: { code: string } }): void {
    const what = 'lost' in reply ? reply.lost : reply.error.code;
    const key = `${event} ${what}`;
    this.stats.errors.set(key, (this.stats.errors.get(key) ?? 0) + 1);
    if (what === 'UNAVAILABLE') this.stats.unavailableAt.push(Date.now());
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      if (!this.pending) {
        if (this.stopping) return;
        const reply = await this.request('sample:next', {});
        if (!('data' in reply)) {
          this.count('sample:next', reply);
          await sleep(RETRY_MS);
          continue;
        }
        const sample = reply.data.sample;
        if (!sample) {
          await sleep(RETRY_MS);
          continue;
        }
        this.stats.handouts.push(Date.now());
        this.seq += 1;
        this.pending = {
          sampleId: sample.id,
          value: sample.options[this.seq % sample.options.length] ?? 'cat',
          clientKey: `${this.name}-${this.seq}`,
        };
        await sleep(this.thinkMs); // looking at the image
      }
      const label = this.pending;
      const reply = await this.request('sample:label', label);
      if ('data' in reply) {
        this.stats.acked.push({
          labeller: this.name,
          clientKey: label.clientKey ?? '',
          at: Date.now(),
        });
        this.pending = undefined;
        continue;
      }
      this.count('sample:label', reply);
      if ('lost' in reply || reply.error.code === 'UNAVAILABLE') {
        this.stats.resends += 1;
        await sleep(RETRY_MS);
        continue;
      }
      this.stats.refused.push({
        labeller: this.name,
        clientKey: label.clientKey ?? '',
        code: reply.error.code,
      });
      this.pending = undefined;
    }
  }

  /** Takes no more samples; resolves once the label in hand is acked (or refused). */
  finish(): Promise<void> {
    this.stopping = true;
    return this.done;
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}

export interface Swarm {
  stats: SwarmStats;
  labellers: SwarmLabeller[];
  /** Stops taking samples, waits for every label in hand to be acked, closes the sockets. */
  stop: (timeoutMs?: number) => Promise<void>;
}

export function startSwarm(opts: {
  urls: string[];
  project: string;
  count: number;
  namePrefix: string;
  thinkMs?: number;
}): Swarm {
  const stats: SwarmStats = {
    acked: [],
    handouts: [],
    errors: new Map(),
    unavailableAt: [],
    resends: 0,
    refused: [],
  };
  const labellers = Array.from(
    { length: opts.count },
    (_, i) =>
      new SwarmLabeller(
        `${opts.namePrefix}-${i}`,
        opts.urls,
        i,
        opts.project,
        stats,
        opts.thinkMs ?? 100,
      ),
  );
  return {
    stats,
    labellers,
    stop: async (timeoutMs = 20_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`labellers still had unacked labels after ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        await Promise.race([Promise.all(labellers.map((l) => l.finish())), timedOut]);
      } finally {
        clearTimeout(timer);
        for (const l of labellers) l.close();
      }
    },
  };
}

/** Waits until `check` holds, polling; throws `what` after `ms`. */
export async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const started = Date.now(); !check();) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Like waitFor, for a check that has to ask the database. */
export async function waitForAsync(
  check: () => Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  for (const started = Date.now(); !(await check());) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
