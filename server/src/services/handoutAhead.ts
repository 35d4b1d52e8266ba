import type { Knex } from 'knex';
import { releaseLeases, type LeasedSample } from '@al/db';
import type { LabellerSession } from './labellerSession';
import type { ProgressCache } from './progressCache';

export interface HandoutAheadOptions {
  /** Only while at least this many samples are open and unleased (by the cached totals). */
  minOpen: number;
  /** A sample leased ahead and not asked for within this long is released. */
  claimWithinMs: number;
}

export const DEFAULT_HANDOUT_AHEAD: HandoutAheadOptions = { minOpen: 1_000, claimWithinMs: 1_000 };

/** What a session carries while a sample is being (or has been) leased ahead for it. */
export interface AheadLease {
  leased: Promise<LeasedSample | undefined>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Leases a labeller's next sample right after their label or skip committed, so that their
 * following `sample:next` is answered from memory. For a client that loops next → label this
 * takes the hand-out off the critical path of `sample:next`: with 200 such labellers on two
 * cores, waiting for a hand-out batch of its own was most of a `sample:next`'s latency.
 *
 * It must never change what anyone else can get, so it stays out of the way:
 * - only for a labeller holding nothing else (the labelling page keeps one sample ahead
 *   itself, so it still holds one when it labels and never gets one here);
 * - only while the queue is deep (`minOpen` open unleased samples by the cached totals):
 *   near the end of a queue, or in a small project, hand-outs behave exactly as without it;
 * - a sample not asked for within `claimWithinMs` (a client that labelled and went idle) is
 *   released, so it never sits with someone who does not want it.
 * It is an ordinary lease meanwhile: renewed by LeaseKeeper, released on disconnect.
 */
export class HandoutAhead {
  private stopped = false;

  constructor(
    private readonly deps: {
      knex: Knex;
      progressCache: ProgressCache;
      lease: (session: LabellerSession) => Promise<LeasedSample | undefined>;
      options: HandoutAheadOptions;
      onError: (err: unknown) => void;
    },
  ) {}

  private queueIsDeep(projectId: number): boolean {
    const totals = this.deps.progressCache.peek(projectId);
    return (
      totals !== undefined &&
      totals.total - totals.done - totals.leased >= this.deps.options.minOpen
    );
  }

  /** Starts a lease ahead if the rules allow; resolves when it is settled (never rejects). */
  start(session: LabellerSession): Promise<unknown> {
    if (this.stopped || session.ahead || session.gone || session.held.size > 0) {
      return Promise.resolve();
    }
    if (!this.queueIsDeep(session.project.id)) return Promise.resolve();
    const ahead: AheadLease = { leased: Promise.resolve(undefined), timer: undefined };
    ahead.leased = this.deps.lease(session).then(
      (leased) => {
        if (!leased) return undefined;
        session.held.add(leased.id);
        this.deps.progressCache.changed(session.project.id);
        ahead.timer = setTimeout(() => {
          this.drop(session, ahead, leased.id);
        }, this.deps.options.claimWithinMs);
        ahead.timer.unref();
        return leased;
      },
      // The labeller's own sample:next asks again and reports the error if it persists.
      () => undefined,
    );
    session.ahead = ahead;
    return ahead.leased;
  }

  /** No more leases ahead (shutdown: a draining server hands nothing out). */
  stop(): void {
    this.stopped = true;
  }

  /** The sample leased ahead for this labeller, if any and still theirs. */
  async take(session: LabellerSession): Promise<LeasedSample | undefined> {
    const ahead = session.ahead;
    if (!ahead) return undefined;
    session.ahead = undefined;
    const leased = await ahead.leased;
    clearTimeout(ahead.timer);
    // A renewal that found the lease gone (lapsed and taken) dropped it from `held`.
    return leased && session.held.has(leased.id) ? leased : undefined;
  }

  /** Waits for a lease ahead in flight, so that a departing socket's release includes it. */
  async settle(session: LabellerSession): Promise<void> {
    const ahead = session.ahead;
    if (!ahead) return;
    await ahead.leased;
    clearTimeout(ahead.timer);
  }

  private drop(session: LabellerSession, ahead: AheadLease, sampleId: number): void {
    if (session.ahead !== ahead || !session.held.delete(sampleId)) return;
    session.ahead = undefined;
    releaseLeases({ tx: this.deps.knex, labeller: session.labeller, sampleIds: [sampleId] }).then(
      () => {
        this.deps.progressCache.changed(session.project.id);
      },
      // The lease then lapses after its TTL: nothing is lost.
      this.deps.onError,
    );
  }
}
