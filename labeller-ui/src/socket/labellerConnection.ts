/**
 * The one socket of the labelling page, kept outside React (like excalidraw's Portal): it owns
 * the socket.io client, turns acks into promises, and keeps label and skip submissions in an
 * outbox until the server acknowledges them. After a reconnect every unacknowledged submission
 * is sent again with the same clientKey; the server answers a repeated key with the first
 * result, so a label whose ack was lost is neither dropped nor recorded twice.
 */
import { io, type Socket } from 'socket.io-client';
import {
  ModelUpdateSchema,
  type Ack,
  type ClientToServerEvents,
  type ErrorCode,
  type HandshakeAuth,
  type LabelPayload,
  type LabelResult,
  type ModelUpdate,
  type NextResult,
  type Progress,
  type ServerToClientEvents,
  type SkipPayload,
  type SkipResult,
  type UndoResult,
} from '@al/contract';

/**
 * `reconnecting` covers both a lost socket and a server that answers UNAVAILABLE (its database
 * is restarting, or it is shutting down): either way work is kept and sent again.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A request the server refused (its ack error), or one that got no answer in time. */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  constructor(
    readonly code: ErrorCode | 'TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectionEvents {
  /** `detail` carries the server's refusal when the handshake was rejected. */
  state: (state: ConnectionState, detail: string | undefined) => void;
  connected: () => void;
  progress: (progress: Omit<Progress, 'mine'>) => void;
  model: (update: ModelUpdate) => void;
  /** Number of label/skip submissions not yet acknowledged. */
  outbox: (pending: number) => void;
}

type Submission = { attempt: number } & (
  | { event: 'sample:label'; payload: LabelPayload; settle: Settle<LabelResult> }
  | { event: 'sample:skip'; payload: SkipPayload; settle: Settle<SkipResult> }
);
interface Settle<T> {
  resolve: (data: T) => void;
  reject: (err: RequestFailed) => void;
}

/** An ack slower than this is treated as lost: the submission is sent again (same key). */
const ACK_TIMEOUT_MS = 8_000;
/** Pause before asking again after an UNAVAILABLE answer. */
const UNAVAILABLE_RETRY_MS = 1_000;

export class LabellerConnection {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly listeners: { [K in keyof ConnectionEvents]: Set<ConnectionEvents[K]> } = {
    state: new Set(),
    connected: new Set(),
    progress: new Set(),
    model: new Set(),
    outbox: new Set(),
  };
  /** Unacknowledged submissions by clientKey, in the order they were made. */
  private readonly outbox = new Map<string, Submission>();
  private outboxEmptied: (() => void)[] = [];
  private connectWaiters: (() => void)[] = [];
  private everConnected = false;
  private keySeq = 0;
  /** Distinguishes this page load's keys from an earlier load's (the server keys per labeller). */
  private readonly keyPrefix = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  state: ConnectionState = 'connecting';

  constructor(auth: HandshakeAuth, url?: string) {
    // WebSocket first (no upgrade round trip); long-polling when a proxy blocks WebSockets.
    const options = {
      auth,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelayMax: 2_000,
    };
    this.socket = url === undefined ? io(options) : io(url, options);
    this.socket.on('connect', () => {
      this.everConnected = true;
      this.setState('connected', undefined);
      for (const wake of this.connectWaiters.splice(0)) wake();
      for (const fn of this.listeners.connected) fn();
      // Resend in the original order; each keeps its clientKey.
      for (const submission of this.outbox.values()) this.send(submission);
    });
    this.socket.on('disconnect', () => {
      this.setState(this.socket.active ? 'reconnecting' : 'disconnected', undefined);
    });
    this.socket.on('connect_error', (err) => {
      // Inactive after connect_error: the server refused the handshake; it will not retry.
      if (!this.socket.active) this.setState('disconnected', err.message);
      else this.setState(this.everConnected ? 'reconnecting' : 'connecting', undefined);
    });
    this.socket.on('progress:update', (progress) => {
      for (const fn of this.listeners.progress) fn(progress);
    });
    this.socket.on('model:updated', (update) => {
      // Another process's message, parsed like the HTTP answers; one that does not match the
      // contract is dropped (the page keeps showing the model it knew).
      const parsed = ModelUpdateSchema.safeParse(update);
      if (!parsed.success) return;
      for (const fn of this.listeners.model) fn(parsed.data);
    });
  }

  on<K extends keyof ConnectionEvents>(event: K, fn: ConnectionEvents[K]): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  get pending(): number {
    return this.outbox.size;
  }

  /**
   * Leases the next sample (null when the queue has nothing for this labeller). While the
   * server answers UNAVAILABLE it asks again (showing "reconnecting"): a hand-out is safe to
   * repeat, a lease granted to a lost answer just expires.
   */
  async next(): Promise<NextResult> {
    for (;;) {
      await this.connected();
      try {
        return await this.request<NextResult>((ack) => {
          this.socket.timeout(ACK_TIMEOUT_MS).emit('sample:next', {}, ack);
        });
      } catch (err) {
        if (!(err instanceof RequestFailed && err.code === 'UNAVAILABLE')) throw err;
        await new Promise((resolve) => setTimeout(resolve, UNAVAILABLE_RETRY_MS));
      }
    }
  }

  label(sampleId: number, value: string | string[]): Promise<LabelResult> {
    return new Promise((resolve, reject) => {
      const payload: LabelPayload = { sampleId, value, clientKey: this.newKey() };
      this.submit({ attempt: 0, event: 'sample:label', payload, settle: { resolve, reject } });
    });
  }

  skip(sampleId: number): Promise<SkipResult> {
    return new Promise((resolve, reject) => {
      const payload: SkipPayload = { sampleId, clientKey: this.newKey() };
      this.submit({ attempt: 0, event: 'sample:skip', payload, settle: { resolve, reject } });
    });
  }

  /** Undoes the last label or skip; waits for the outbox first so "last" is the one shown last. */
  async undo(): Promise<UndoResult> {
    await this.outboxFlushed();
    await this.connected();
    return this.request<UndoResult>((ack) => {
      this.socket.timeout(ACK_TIMEOUT_MS).emit('sample:undo', {}, ack);
    });
  }

  close(): void {
    this.socket.close();
    this.setState('disconnected', undefined);
  }

  /** One acked request: the ack's data, its error as RequestFailed, or TIMEOUT. */
  private request<T>(emit: (ack: (err: Error | null, res: Ack<T>) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      emit((err, res) => {
        if (err !== null) reject(new RequestFailed('TIMEOUT', 'the server did not answer in time'));
        else if ('error' in res) {
          this.noteAnswer(res.error.code);
          reject(new RequestFailed(res.error.code, res.error.message));
        } else {
          this.noteAnswer(undefined);
          resolve(res.data);
        }
      });
    });
  }

  private newKey(): string {
    this.keySeq += 1;
    return `${this.keyPrefix}-${this.keySeq}`;
  }

  private submit(submission: Submission): void {
    const key = submission.payload.clientKey;
    if (key === undefined) throw new Error('a submission needs a clientKey');
    this.outbox.set(key, submission);
    this.emitOutbox();
    this.send(submission);
  }

  /** Sends now if connected; otherwise the 'connect' handler sends it. */
  private send(submission: Submission): void {
    if (!this.socket.connected) return;
    const key = submission.payload.clientKey ?? '';
    submission.attempt += 1;
    const attempt = submission.attempt;
    const onAck = (err: Error | null, res: Ack<LabelResult> | Ack<SkipResult> | undefined) => {
      if (this.outbox.get(key) !== submission) return; // settled by another attempt
      if (err !== null || res === undefined) {
        // No answer in time: send again if this was the latest attempt and we are still
        // connected (a disconnect also fails pending acks; the reconnect resends then).
        if (attempt === submission.attempt && this.socket.connected) this.send(submission);
        return;
      }
      this.noteAnswer('error' in res ? res.error.code : undefined);
      if ('error' in res && res.error.code === 'UNAVAILABLE') {
        // Not refused, just not now: it stays in the outbox and goes again under its key.
        setTimeout(() => {
          if (this.outbox.get(key) === submission && attempt === submission.attempt) {
            this.send(submission);
          }
        }, UNAVAILABLE_RETRY_MS);
        return;
      }
      this.outbox.delete(key);
      this.emitOutbox();
      if ('error' in res) {
        submission.settle.reject(new RequestFailed(res.error.code, res.error.message));
      } else if (submission.event === 'sample:label') {
        submission.settle.resolve(res.data as LabelResult);
      } else {
        submission.settle.resolve(res.data);
      }
    };
    const timed = this.socket.timeout(ACK_TIMEOUT_MS);
    if (submission.event === 'sample:label') timed.emit('sample:label', submission.payload, onAck);
    else timed.emit('sample:skip', submission.payload, onAck);
  }

  /**
   * An UNAVAILABLE answer shows "reconnecting" although the socket is up; any other answer
   * means the server is working again.
   */
  private noteAnswer(code: ErrorCode | undefined): void {
    if (!this.socket.connected) return;
    if (code === 'UNAVAILABLE') {
      if (this.state !== 'reconnecting') this.setState('reconnecting', undefined);
    } else if (this.state === 'reconnecting') this.setState('connected', undefined);
  }

  private emitOutbox(): void {
    for (const fn of this.listeners.outbox) fn(this.outbox.size);
    if (this.outbox.size === 0) for (const wake of this.outboxEmptied.splice(0)) wake();
  }

  private outboxFlushed(): Promise<void> {
    if (this.outbox.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.outboxEmptied.push(resolve));
  }

  private connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  private setState(state: ConnectionState, detail: string | undefined): void {
    this.state = state;
    for (const fn of this.listeners.state) fn(state, detail);
  }
}
