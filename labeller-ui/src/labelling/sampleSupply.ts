/**
 * Keeps the page supplied with samples: the one on screen and one fetched ahead, its image
 * already decoded, so label → next image is a re-render, not a round trip.
 */
import type { Progress } from '@al/contract';
import type { LabellerConnection } from '../socket/labellerConnection';
import { preloadImage, type ShownSample } from './preloadImage';
import type { SnapshotStore } from './sessionSnapshot';

/** How many samples to hold beyond the one shown. */
const AHEAD = 1;
/** Samples handed out that this page already holds or submitted, tolerated per fill. */
const MAX_REPEATS = 5;
const FILL_RETRY_MS = 2_000;

export interface SampleSupplyDeps {
  connection: LabellerConnection;
  imageSize: number;
  store: SnapshotStore;
  /** The progress a hand-out carried. */
  onProgress: (progress: Progress) => void;
  /** A fill failed; `fallback` says what failed when the error has no message for people. */
  onError: (err: unknown, fallback: string) => void;
}

export class SampleSupply {
  private readonly ahead: ShownSample[] = [];
  private filling: Promise<void> | undefined;
  private exhausted = false;
  /**
   * Samples this page labelled or skipped. After a reconnect the server has released our
   * leases, and a `sample:next` racing a resent label can hand one of them out again.
   */
  private readonly submitted = new Set<number>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /**
   * Counts connections: a sample handed out on an earlier one lost its lease when that socket
   * went away, so a fill that outlived the connection drops what it fetched.
   */
  private epoch = 0;

  constructor(private readonly deps: SampleSupplyDeps) {}

  get aheadCount(): number {
    return this.ahead.length;
  }

  markSubmitted(sampleId: number): void {
    this.submitted.add(sampleId);
  }

  /** An undone sample may be labelled again. */
  unmarkSubmitted(sampleId: number): void {
    this.submitted.delete(sampleId);
  }

  /** Puts a sample back at the head of the line (the one on screen when an undo replaces it). */
  putBack(sample: ShownSample): void {
    this.ahead.unshift(sample);
  }

  /**
   * On every (re)connect. The server released this socket's leases on disconnect: fetch ahead
   * afresh. The sample on screen may still be labelled (it was handed to us), so it stays.
   */
  restart(): void {
    this.epoch += 1;
    this.ahead.length = 0;
    this.deps.store.update({ ahead: 0 });
    this.exhausted = false;
    this.fill();
    this.reloadBrokenImage();
  }

  /** Shows the next sample held ahead (or waits for one) once the one on screen is answered. */
  advance(): void {
    const next = this.ahead.shift();
    this.deps.store.update({
      current: next,
      ahead: this.ahead.length,
      status: next ? 'ready' : this.exhausted ? 'empty' : 'loading',
      notice: undefined,
    });
    this.fill();
  }

  /** "Check again" after the queue ran dry (others may release or skip samples). */
  retry(): void {
    this.exhausted = false;
    this.fill();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  /** Keeps a current sample and AHEAD more; one fill runs at a time. */
  private fill(): void {
    if (this.filling) return;
    const { connection, store } = this.deps;
    this.filling = (async () => {
      let repeats = 0;
      while (!this.exhausted && (!store.getSnapshot().current || this.ahead.length < AHEAD)) {
        const res = await connection.next();
        const epoch = this.epoch;
        this.deps.onProgress(res.progress);
        if (!res.sample) {
          this.exhausted = true;
          store.update({ status: store.getSnapshot().current ? 'ready' : 'empty' });
          break;
        }
        if (this.isKnown(res.sample.id)) {
          // Leased to us again (see `submitted`): keep the lease, ask for another.
          repeats += 1;
          if (repeats > MAX_REPEATS) throw new Error('the server keeps handing out known samples');
          continue;
        }
        const shown = await preloadImage(res.sample, this.deps.imageSize);
        if (this.closed) return;
        if (epoch !== this.epoch) continue; // its lease ended with that socket
        if (store.getSnapshot().current) {
          this.ahead.push(shown);
          store.update({ ahead: this.ahead.length });
        } else store.update({ current: shown, status: 'ready' });
      }
    })()
      .catch((err: unknown) => {
        this.deps.onError(err, 'could not fetch the next image');
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
    const { store } = this.deps;
    const shown = store.getSnapshot().current;
    if (!shown || shown.naturalWidth > 0) return;
    void preloadImage(shown.sample, this.deps.imageSize).then((again) => {
      if (store.getSnapshot().current === shown && again.naturalWidth > 0) {
        store.update({ current: again });
      }
    });
  }

  private isKnown(sampleId: number): boolean {
    return (
      this.submitted.has(sampleId) ||
      this.deps.store.getSnapshot().current?.sample.id === sampleId ||
      this.ahead.some((s) => s.sample.id === sampleId)
    );
  }
}
