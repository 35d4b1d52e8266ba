/**
 * What the labelling page shows, kept outside React: the current sample, one sample fetched
 * ahead (its image already decoded, so label → next image is a re-render, not a round trip),
 * progress, the model version and notices. Components read `snapshot` through
 * useSyncExternalStore and call label/skip/undo.
 */
import type { ModelUpdate, Progress } from '@al/contract';
import {
  RequestFailed,
  type ConnectionState,
  type LabellerConnection,
} from '../socket/labellerConnection';
import { preloadImage, type ShownSample } from './preloadImage';

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

/** How many samples to hold beyond the one shown. */
const AHEAD = 1;
/** Samples handed out that this page already holds or submitted, tolerated per fill. */
const MAX_REPEATS = 5;
const FILL_RETRY_MS = 2_000;

export class LabellingSession {
  private snap: SessionSnapshot;
  private readonly ahead: ShownSample[] = [];
  private readonly subscribers = new Set<() => void>();
  private filling: Promise<void> | undefined;
  private exhausted = false;
  /**
   * Samples this page labelled or skipped. After a reconnect the server has released our
   * leases, and a `sample:next` racing a resent label can hand one of them out again.
   */
  private readonly submitted = new Set<number>();
  /**
   * Acks arrive out of order (the server handles requests concurrently): the own count is
   * taken from the ack of the latest label, skip or undo sent, so it never steps back.
   */
  private actionSeq = 0;
  private mineSeq = 0;
  private readonly unsubscribe: (() => void)[];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /**
   * Counts connections: a sample handed out on an earlier one lost its lease when that socket
   * went away, so a fill that outlived the connection drops what it fetched.
   */
  private epoch = 0;

  constructor(
    private readonly connection: LabellerConnection,
    private readonly imageSize: number,
  ) {
    this.snap = {
      connection: connection.state,
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
    this.unsubscribe = [
      connection.on('state', (state, refusal) => {
        this.update({ connection: state, refusal });
      }),
      connection.on('connected', () => {
        // The server released this socket's leases on disconnect: fetch ahead afresh. The
        // sample on screen may still be labelled (it was handed to us), so it stays.
        this.epoch += 1;
        this.ahead.length = 0;
        this.update({ ahead: 0 });
        this.exhausted = false;
        this.fill();
        this.reloadBrokenImage();
      }),
      connection.on('outbox', (pending) => {
        this.update({ pending });
      }),
      connection.on('progress', (totals) => {
        this.update({ progress: { ...totals, mine: this.snap.progress?.mine ?? 0 } });
      }),
      connection.on('model', (model) => {
        this.update({ model });
      }),
    ];
  }

  readonly subscribe = (fn: () => void): (() => void) => {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snap;

  /**
   * Labels the sample on screen. `onScreen` is the id the labeller saw when acting; a key that
   * arrives while nothing (or something else) is ready is ignored with a notice, never applied
   * to another sample.
   */
  label(value: string | string[], onScreen?: number): void {
    const shown = this.actionable(onScreen, `“${String(value)}” was not applied`);
    if (!shown) return;
    this.submitted.add(shown.sample.id);
    const seq = ++this.actionSeq;
    this.connection.label(shown.sample.id, value).then(
      (res) => {
        this.takeProgress(seq, res.progress);
      },
      (err: unknown) => {
        this.report(err, `label for sample ${shown.sample.id} was refused`);
      },
    );
    this.advance();
  }

  skip(onScreen?: number): void {
    const shown = this.actionable(onScreen, 'the skip was not applied');
    if (!shown) return;
    this.submitted.add(shown.sample.id);
    const seq = ++this.actionSeq;
    this.connection.skip(shown.sample.id).then(
      (res) => {
        this.takeProgress(seq, res.progress);
      },
      (err: unknown) => {
        this.report(err, 'skip was refused');
      },
    );
    this.advance();
  }

  /** Brings back the last labelled or skipped sample; one undo at a time. */
  undo(): void {
    if (this.snap.undoing) {
      this.update({ notice: 'Still undoing: that key was not applied' });
      return;
    }
    const seq = ++this.actionSeq;
    this.update({ undoing: true, notice: 'Undoing…' });
    this.connection
      .undo()
      .then(async (res) => {
        this.submitted.delete(res.sample.id);
        const back = await preloadImage(res.sample, this.imageSize);
        const current = this.snap.current;
        if (current) this.ahead.unshift(current);
        this.takeProgress(seq, res.progress);
        this.update({
          current: back,
          ahead: this.ahead.length,
          status: 'ready',
          undoing: false,
          notice: res.leased ? 'Undone: label it again' : 'Undone (someone else holds it now)',
        });
      })
      .catch((err: unknown) => {
        this.update({ undoing: false });
        this.report(err, 'undo failed');
      });
  }

  /** "Check again" after the queue ran dry (others may release or skip samples). */
  retry(): void {
    this.exhausted = false;
    this.fill();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const off of this.unsubscribe) off();
    this.connection.close();
  }

  /** The sample an action applies to, or undefined (with a notice) when the page is not ready. */
  actionable(onScreen: number | undefined, ignored: string): ShownSample | undefined {
    const shown = this.snap.current;
    if (!this.snap.ready || !shown || (onScreen !== undefined && onScreen !== shown.sample.id)) {
      this.update({ notice: `Not ready yet: ${ignored}.` });
      return undefined;
    }
    return shown;
  }

  private advance(): void {
    const next = this.ahead.shift();
    this.update({
      current: next,
      ahead: this.ahead.length,
      status: next ? 'ready' : this.exhausted ? 'empty' : 'loading',
      notice: undefined,
    });
    this.fill();
  }

  /** Keeps a current sample and AHEAD more; one fill runs at a time. */
  private fill(): void {
    if (this.filling) return;
    this.filling = (async () => {
      let repeats = 0;
      while (!this.exhausted && (!this.snap.current || this.ahead.length < AHEAD)) {
        const res = await this.connection.next();
        const epoch = this.epoch;
        this.takeProgress(undefined, res.progress);
        if (!res.sample) {
          this.exhausted = true;
          this.update({ status: this.snap.current ? 'ready' : 'empty' });
          break;
        }
        if (this.isKnown(res.sample.id)) {
          // Leased to us again (see `submitted`): keep the lease, ask for another.
          repeats += 1;
          if (repeats > MAX_REPEATS) throw new Error('the server keeps handing out known samples');
          continue;
        }
        const shown = await preloadImage(res.sample, this.imageSize);
        if (this.closed) return;
        if (epoch !== this.epoch) continue; // its lease ended with that socket
        if (this.snap.current) {
          this.ahead.push(shown);
          this.update({ ahead: this.ahead.length });
        } else this.update({ current: shown, status: 'ready' });
      }
    })()
      .catch((err: unknown) => {
        this.report(err, 'could not fetch the next image');
        // A lost ack or a server hiccup: try again shortly (a reconnect also refills).
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined;
          if (!this.closed) this.fill();
        }, FILL_RETRY_MS);
      })
      .finally(() => {
        this.filling = undefined;
      });
  }

  /** An image that failed to download while the network was down is fetched again once it is back. */
  private reloadBrokenImage(): void {
    const shown = this.snap.current;
    if (!shown || shown.naturalWidth > 0) return;
    void preloadImage(shown.sample, this.imageSize).then((again) => {
      if (this.snap.current === shown && again.naturalWidth > 0) this.update({ current: again });
    });
  }

  /** `seq` of the label/skip/undo acked; undefined for a hand-out (its count may lag). */
  private takeProgress(seq: number | undefined, progress: Progress): void {
    let mine = this.snap.progress?.mine ?? progress.mine;
    if (seq === undefined ? this.mineSeq === 0 : seq >= this.mineSeq) {
      this.mineSeq = seq ?? 0;
      mine = progress.mine;
    }
    this.update({ progress: { ...progress, mine } });
  }

  private isKnown(sampleId: number): boolean {
    return (
      this.submitted.has(sampleId) ||
      this.snap.current?.sample.id === sampleId ||
      this.ahead.some((s) => s.sample.id === sampleId)
    );
  }

  private report(err: unknown, fallback: string): void {
    const notice = err instanceof RequestFailed ? err.message : fallback;
    this.update({ notice });
  }

  private update(patch: Partial<Omit<SessionSnapshot, 'ready'>>): void {
    const next = { ...this.snap, ...patch };
    const refused = next.connection === 'disconnected' && next.refusal !== undefined;
    next.ready = next.status === 'ready' && next.current !== undefined && !next.undoing && !refused;
    this.snap = next;
    for (const fn of this.subscribers) fn();
  }
}
