/**
 * What the labelling page shows, as one immutable snapshot that components read through
 * useSyncExternalStore; every change replaces it and tells the subscribers.
 */
import type { ModelUpdate, Progress } from '@al/contract';
import type { ConnectionState } from '../socket/labellerConnection';
import type { ShownSample } from './preloadImage';

export type QueueStatus = 'loading' | 'ready' | 'empty';

export interface SessionSnapshot {
  connection: ConnectionState;
  /** The server's reason when it refused the connection. */
  refusal: string | undefined;
  status: QueueStatus;
  current: ShownSample | undefined;
  progress: Progress | undefined;
  model: ModelUpdate | undefined;
  /** Labels and skips sent but not yet acknowledged (resent after a reconnect). */
  pending: number;
  /** A short message for the live region (last error or confirmation). */
  notice: string | undefined;
  /** Samples fetched ahead, images decoded (shown as data-ahead for tests and debugging). */
  ahead: number;
  /** An undo was sent and its sample is not on screen yet. */
  undoing: boolean;
  /**
   * Whether a label or skip key acts now: a sample is on screen and no undo is about to
   * replace it. Derived in `update`, so it always agrees with `current` (shown as data-ready).
   */
  ready: boolean;
}

export type SnapshotPatch = Partial<Omit<SessionSnapshot, 'ready'>>;

export class SnapshotStore {
  private snap: SessionSnapshot;
  private readonly subscribers = new Set<() => void>();

  constructor(connection: ConnectionState) {
    this.snap = {
      connection,
      refusal: undefined,
      status: 'loading',
      current: undefined,
      progress: undefined,
      model: undefined,
      pending: 0,
      notice: undefined,
      ahead: 0,
      undoing: false,
      ready: false,
    };
  }

  readonly subscribe = (fn: () => void): (() => void) => {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snap;

  update(patch: SnapshotPatch): void {
    const next = { ...this.snap, ...patch };
    const refused = next.connection === 'disconnected' && next.refusal !== undefined;
    next.ready = next.status === 'ready' && next.current !== undefined && !next.undoing && !refused;
    this.snap = next;
    for (const fn of this.subscribers) fn();
  }
}
