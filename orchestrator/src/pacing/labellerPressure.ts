/**
 * Whether labellers would feel a retrain now: they are being served (the hand-out log grows
 * fast) AND the machine's CPU is mostly taken by others (serving them). A trainer on its own
 * GPU host, or beside a handful of human labellers, is never slowed down.
 */
import type { Tx } from '@al/db';
import type { Logger } from 'pino';
import { HandoutRate } from './handoutRate';
import { OthersCpu } from './othersCpu';

export interface PressureThresholds {
  /** Hand-outs per second at and above which labellers count as active. */
  busyAbovePerSecond: number;
  /** Share of the machine's CPU used by other processes at and above which it is contended. */
  busyAboveOthersCpu: number;
}

export class LabellerPressure {
  private timer: NodeJS.Timeout | undefined;
  /**
   * Kept from one job to the next: the first reading of a job measures since the last one of
   * the job before, so a job that starts while labellers are busy knows it at once rather
   * than a poll later (jobs follow each other back to back while labels pour in).
   */
  private readonly readers: { handouts: HandoutRate; cpu: OthersCpu };
  private latest: { perSecond: number; othersCpu: number | undefined } = {
    perSecond: 0,
    othersCpu: undefined,
  };

  constructor(
    private readonly o: PressureThresholds & { knex: Tx; logger: Logger; pollMs: number },
  ) {
    this.readers = { handouts: new HandoutRate(o.knex), cpu: new OthersCpu() };
  }

  get busy(): boolean {
    const { perSecond, othersCpu } = this.latest;
    return (
      perSecond >= this.o.busyAbovePerSecond &&
      (othersCpu === undefined || othersCpu >= this.o.busyAboveOthersCpu)
    );
  }

  /** Starts reading; the first reading (at once) covers the time since the last one. */
  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.o.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.latest = { perSecond: 0, othersCpu: undefined };
  }

  private async poll(): Promise<void> {
    try {
      const [perSecond, othersCpu] = await Promise.all([
        this.readers.handouts.read(),
        this.readers.cpu.read(),
      ]);
      if (this.timer) this.latest = { perSecond, othersCpu };
    } catch (err) {
      // Pacing is a courtesy: a failed read must not fail the retrain, only stop the pacing.
      this.o.logger.warn({ err }, 'could not read how busy labellers are');
      this.latest = { perSecond: 0, othersCpu: undefined };
    }
  }
}
