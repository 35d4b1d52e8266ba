import type { Knex } from 'knex';
import { getProjectProgress, type ProjectProgress } from '@al/db';

interface Entry {
  value: ProjectProgress | undefined;
  computedAt: number;
  changedAt: number;
  inflight: Promise<ProjectProgress> | undefined;
  /** Duration of the last scan: scans are spaced to keep their share of the database small. */
  scanMs: number;
  lastBroadcastAt: number;
  timer: NodeJS.Timeout | undefined;
}

/** Scans are spaced by at least this many times their own duration. */
const SCAN_GAP_FACTOR = 10;

export interface ProgressCacheOptions {
  /** A cached value younger than this is served as is (acks may lag by this much). */
  maxAgeMs: number;
  /** At most one broadcast per project per this interval; changes in between coalesce. */
  broadcastEveryMs: number;
  /** Sends a project's totals to its labellers. */
  broadcast: (projectId: number, progress: ProjectProgress) => void;
  onError: (err: unknown) => void;
}

/**
 * Project totals are a scan over the project's samples, so their cost grows with the project,
 * and a scan per ack would cost one scan per label. Acks read a cached value refreshed at most
 * every `maxAgeMs` (single-flight: one query at a time per project) and broadcasts are coalesced
 * to one per `broadcastEveryMs` per project. Both gaps stretch to 10× the last scan's duration,
 * so scans never take more than ~10% of one core however big the project grows. A broadcast
 * always recomputes if anything changed after the cached value was taken, so the last
 * broadcast after a burst shows the final totals.
 */
export class ProgressCache {
  private readonly entries = new Map<number, Entry>();
  private closed = false;

  constructor(
    private readonly knex: Knex,
    private readonly opts: ProgressCacheOptions,
  ) {}

  private entry(projectId: number): Entry {
    let e = this.entries.get(projectId);
    if (!e) {
      e = {
        value: undefined,
        computedAt: 0,
        changedAt: 0,
        inflight: undefined,
        scanMs: 0,
        lastBroadcastAt: 0,
        timer: undefined,
      };
      this.entries.set(projectId, e);
    }
    return e;
  }

  private recompute(projectId: number, e: Entry): Promise<ProjectProgress> {
    if (e.inflight) return e.inflight;
    const startedAt = Date.now();
    const run = getProjectProgress({ tx: this.knex, projectId })
      .then((value) => {
        e.value = value;
        e.computedAt = startedAt;
        e.scanMs = Date.now() - startedAt;
        return value;
      })
      .finally(() => {
        e.inflight = undefined;
      });
    e.inflight = run;
    return run;
  }

  /**
   * Recent totals. Only the very first call waits for the scan; after that a value older than
   * `maxAgeMs` is still returned at once and refreshed in the background, so no ack ever waits
   * for a scan (acks lag the truth by at most `maxAgeMs` plus one scan).
   */
  async get(projectId: number): Promise<ProjectProgress> {
    const e = this.entry(projectId);
    if (!e.value) return this.recompute(projectId, e);
    if (Date.now() - e.computedAt >= Math.max(this.opts.maxAgeMs, SCAN_GAP_FACTOR * e.scanMs)) {
      this.recompute(projectId, e).catch(this.opts.onError);
    }
    return e.value;
  }

  /** The cached totals as they are, without scanning (undefined before the first scan). */
  peek(projectId: number): ProjectProgress | undefined {
    return this.entries.get(projectId)?.value;
  }

  /** Totals from a scan that started after `since` (an in-flight older scan does not count). */
  private async computedAfter(
    projectId: number,
    e: Entry,
    since: number,
  ): Promise<ProjectProgress> {
    for (;;) {
      if (e.value && e.computedAt > since) return e.value;
      await (e.inflight ?? this.recompute(projectId, e));
    }
  }

  /** Notes that the project's queue changed; schedules one coalesced broadcast. */
  changed(projectId: number): void {
    if (this.closed) return;
    const e = this.entry(projectId);
    e.changedAt = Date.now();
    if (e.timer) return;
    const every = Math.max(this.opts.broadcastEveryMs, SCAN_GAP_FACTOR * e.scanMs);
    const wait = Math.max(0, e.lastBroadcastAt + every - e.changedAt);
    e.timer = setTimeout(() => {
      e.timer = undefined;
      e.lastBroadcastAt = Date.now();
      this.computedAfter(projectId, e, e.changedAt).then((value) => {
        if (!this.closed) this.opts.broadcast(projectId, value);
      }, this.opts.onError);
    }, wait);
  }

  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) clearTimeout(e.timer);
  }
}
