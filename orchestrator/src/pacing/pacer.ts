/**
 * Bounded slices for the heavy work of a retrain: while labellers would feel it
 * (labellerPressure.ts), the trainer works for a slice, then sleeps so that it takes only its share of wall time. Nice and
 * SCHED_IDLE alone leave the trainer the server's and Postgres's idle gaps, and work done in
 * those gaps still delays the next hand-out (bench:trainer-load); sleeping leaves them empty.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PressureThresholds } from './labellerPressure';

export interface PacingSettings extends PressureThresholds {
  /** Share of wall time the trainer works while labellers are busy, in (0, 1]. */
  busyShare: number;
  /** Work between two pauses while busy. */
  sliceMs: number;
}

/** Work between two pauses while busy: a few training batches. */
export const PACING_SLICE_MS = 50;

/** Called between units of heavy work (a training batch, a page of predictions). */
export type Pace = () => Promise<void>;

export class Pacer {
  private sliceStart: number;
  private paused = 0;
  private lastTurn = 0;

  constructor(
    private readonly labellersBusy: () => boolean,
    private readonly settings: Pick<PacingSettings, 'busyShare' | 'sliceMs'>,
    private readonly clock: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {
    this.sliceStart = clock();
  }

  /** Whether labellers would feel the trainer now. */
  readonly busy = (): boolean => this.labellersBusy();

  /** Milliseconds spent paused so far. */
  get pausedMs(): number {
    return Math.round(this.paused);
  }

  readonly pace: Pace = () => this.paceAt(this.settings.busyShare);

  /**
   * Paces work that runs beside `parts - 1` other threads paced the same way (the trainer
   * thread): each takes its part of the busy share, so together they take no more.
   */
  sharedBy(parts: number): Pace {
    return () => this.paceAt(this.settings.busyShare / parts);
  }

  private async paceAt(busyShare: number): Promise<void> {
    const { sliceMs } = this.settings;
    const now = this.clock();
    if (busyShare >= 1 || !this.labellersBusy()) {
      this.sliceStart = now;
      // Training batches chain as microtasks: turn the event loop now and then, or the reads
      // that say whether labellers are busy would never be answered during a long fit.
      if (now - this.lastTurn >= sliceMs) {
        this.lastTurn = now;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return;
    }
    const worked = now - this.sliceStart;
    if (worked < sliceMs) return;
    const pause = (worked * (1 - busyShare)) / busyShare;
    await this.wait(pause);
    this.paused += pause;
    this.sliceStart = this.clock();
  }
}
