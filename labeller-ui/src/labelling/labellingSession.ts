/**
 * The labelling page's state, kept outside React: the snapshot it shows (sessionSnapshot.ts),
 * the samples on hand (sampleSupply.ts) and the labeller's own count (ownCount.ts), fed by the
 * socket's events. Components read `getSnapshot` through useSyncExternalStore and call
 * label/skip/undo.
 */
import type { Progress } from '@al/contract';
import { RequestFailed, type LabellerConnection } from '../socket/labellerConnection';
import { OwnCount } from './ownCount';
import { preloadImage, type ShownSample } from './preloadImage';
import { SampleSupply } from './sampleSupply';
import { SnapshotStore, type SessionSnapshot } from './sessionSnapshot';

export type { QueueStatus, SessionSnapshot } from './sessionSnapshot';

export class LabellingSession {
  readonly subscribe: (fn: () => void) => () => void;
  readonly getSnapshot: () => SessionSnapshot;
  private readonly store: SnapshotStore;
  private readonly supply: SampleSupply;
  private readonly ownCount = new OwnCount();
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly connection: LabellerConnection,
    private readonly imageSize: number,
  ) {
    const store = new SnapshotStore(connection.state);
    this.store = store;
    this.subscribe = store.subscribe;
    this.getSnapshot = store.getSnapshot;
    this.supply = new SampleSupply({
      connection,
      imageSize,
      store,
      onProgress: (progress) => {
        this.takeProgress(undefined, progress);
      },
      onError: (err, fallback) => {
        this.report(err, fallback);
      },
    });
    this.unsubscribe = [
      connection.on('state', (state, refusal) => {
        store.update({ connection: state, refusal });
      }),
      connection.on('connected', () => {
        this.supply.restart();
      }),
      connection.on('outbox', (pending) => {
        store.update({ pending });
      }),
      connection.on('progress', (totals) => {
        store.update({ progress: { ...totals, mine: store.getSnapshot().progress?.mine ?? 0 } });
      }),
      connection.on('model', (model) => {
        store.update({ model });
      }),
    ];
  }

  /**
   * Labels the sample on screen. `onScreen` is the id the labeller saw when acting; a key that
   * arrives while nothing (or something else) is ready is ignored with a notice, never applied
   * to another sample.
   */
  label(value: string | string[], onScreen?: number): void {
    const shown = this.actionable(onScreen, `“${String(value)}” was not applied`);
    if (!shown) return;
    this.supply.markSubmitted(shown.sample.id);
    const seq = this.ownCount.nextAction();
    this.connection.label(shown.sample.id, value).then(
      (res) => {
        this.takeProgress(seq, res.progress);
      },
      (err: unknown) => {
        this.report(err, `label for sample ${shown.sample.id} was refused`);
      },
    );
    this.supply.advance();
  }

  skip(onScreen?: number): void {
    const shown = this.actionable(onScreen, 'the skip was not applied');
    if (!shown) return;
    this.supply.markSubmitted(shown.sample.id);
    const seq = this.ownCount.nextAction();
    this.connection.skip(shown.sample.id).then(
      (res) => {
        this.takeProgress(seq, res.progress);
      },
      (err: unknown) => {
        this.report(err, 'skip was refused');
      },
    );
    this.supply.advance();
  }

  /** Brings back the last labelled or skipped sample; one undo at a time. */
  undo(): void {
    if (this.store.getSnapshot().undoing) {
      this.store.update({ notice: 'Still undoing: that key was not applied' });
      return;
    }
    const seq = this.ownCount.nextAction();
    this.store.update({ undoing: true, notice: 'Undoing…' });
    this.connection
      .undo()
      .then(async (res) => {
        this.supply.unmarkSubmitted(res.sample.id);
        const back = await preloadImage(res.sample, this.imageSize);
        const current = this.store.getSnapshot().current;
        if (current) this.supply.putBack(current);
        this.takeProgress(seq, res.progress);
        this.store.update({
          current: back,
          ahead: this.supply.aheadCount,
          status: 'ready',
          undoing: false,
          notice: res.leased ? 'Undone: label it again' : 'Undone (someone else holds it now)',
        });
      })
      .catch((err: unknown) => {
        this.store.update({ undoing: false });
        this.report(err, 'undo failed');
      });
  }

  /** "Check again" after the queue ran dry (others may release or skip samples). */
  retry(): void {
    this.supply.retry();
  }

  close(): void {
    this.supply.close();
    for (const off of this.unsubscribe) off();
    this.connection.close();
  }

  /** The sample an action applies to, or undefined (with a notice) when the page is not ready. */
  actionable(onScreen: number | undefined, ignored: string): ShownSample | undefined {
    const snap = this.store.getSnapshot();
    const shown = snap.current;
    if (!snap.ready || !shown || (onScreen !== undefined && onScreen !== shown.sample.id)) {
      this.store.update({ notice: `Not ready yet: ${ignored}.` });
      return undefined;
    }
    return shown;
  }

  /** `seq` of the label/skip/undo acked; undefined for a hand-out (its count may lag). */
  private takeProgress(seq: number | undefined, progress: Progress): void {
    const shownMine = this.store.getSnapshot().progress?.mine;
    this.store.update({ progress: this.ownCount.merge(seq, progress, shownMine) });
  }

  private report(err: unknown, fallback: string): void {
    const notice = err instanceof RequestFailed ? err.message : fallback;
    this.store.update({ notice });
  }
}
