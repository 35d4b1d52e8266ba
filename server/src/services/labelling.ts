import type { Knex } from 'knex';
import {
  QueueBatcher,
  countLabellerLabels,
  getSampleById,
  undoLast,
  type DbSampleRow,
  type ProjectProgress,
} from '@al/db';
import type {
  LabelPayload,
  LabelResult,
  NextResult,
  Progress,
  SampleForLabelling,
  SkipPayload,
  SkipResult,
  UndoResult,
} from '@al/contract';
import type { LabellerSession } from './labellerSession';
import type { ProgressCache } from './progressCache';

export function sampleImageUrl(sampleId: number): string {
  return `/api/samples/${sampleId}/image`;
}

function toSampleForLabelling(
  row: Pick<DbSampleRow, 'id' | 'predicted_label' | 'predicted_confidence'>,
  project: LabellerSession['project'],
): SampleForLabelling {
  const sample: SampleForLabelling = {
    id: row.id,
    imageUrl: sampleImageUrl(row.id),
    options: project.options,
    multiLabel: project.multi_label,
  };
  if (row.predicted_label !== null) {
    sample.suggestion = { value: row.predicted_label, confidence: row.predicted_confidence };
  }
  return sample;
}

/**
 * The labelling use cases behind the socket events. Queue rules (who may label what) live in
 * db/src/queue.ts and surface as QueueError; this layer keeps per-socket state (held leases,
 * own count) and answers with contract shapes. Hand-outs, labels and skips of all sockets go
 * through one QueueBatcher: concurrent requests share a round trip and a commit, since with
 * many labellers per-statement overhead, not the queue's work, sets the pace.
 */
export class LabellingService {
  private readonly queue: QueueBatcher;

  private readonly knex: Knex;
  private readonly progressCache: ProgressCache;
  private readonly ttlSeconds: number;

  constructor(deps: { knex: Knex; progressCache: ProgressCache; ttlSeconds: number }) {
    this.knex = deps.knex;
    this.progressCache = deps.progressCache;
    this.ttlSeconds = deps.ttlSeconds;
    this.queue = new QueueBatcher(deps.knex);
  }

  private async progress(session: LabellerSession): Promise<Progress> {
    const totals: ProjectProgress = await this.progressCache.get(session.project.id);
    return { ...totals, mine: session.mine };
  }

  async next(session: LabellerSession): Promise<NextResult> {
    const leased = await this.queue.next({
      projectId: session.project.id,
      labeller: session.labeller,
      ttlSeconds: this.ttlSeconds,
    });
    if (leased) {
      session.held.add(leased.id);
      this.progressCache.changed(session.project.id);
    }
    return {
      sample: leased ? toSampleForLabelling(leased, session.project) : null,
      progress: await this.progress(session),
    };
  }

  async label(session: LabellerSession, payload: LabelPayload): Promise<LabelResult> {
    // A resend under the same client key returns the first outcome; count the sample once.
    // The lease leaves `held` before the write, not after it: a lease renewal finishing
    // during the write drops the sample from `held` (it is no longer open) and would make the
    // count miss this label; a resend racing this attempt finds it gone and counts nothing.
    const wasHeld = session.held.delete(payload.sampleId);
    let outcome;
    try {
      outcome = await this.queue.label({
        projectId: session.project.id,
        labeller: session.labeller,
        sampleId: payload.sampleId,
        value: payload.value,
        clientKey: payload.clientKey,
      });
    } catch (err) {
      if (wasHeld) session.held.add(payload.sampleId); // still ours: keep renewing it
      throw err;
    }
    if (wasHeld && !outcome.conflict) session.mine += 1;
    this.progressCache.changed(session.project.id);
    return { progress: await this.progress(session), conflict: outcome.conflict };
  }

  async skip(session: LabellerSession, payload: SkipPayload): Promise<SkipResult> {
    await this.queue.skip({
      projectId: session.project.id,
      labeller: session.labeller,
      sampleId: payload.sampleId,
      clientKey: payload.clientKey,
    });
    session.held.delete(payload.sampleId);
    this.progressCache.changed(session.project.id);
    return { progress: await this.progress(session) };
  }

  async undo(session: LabellerSession): Promise<UndoResult> {
    const outcome = await undoLast(this.knex, {
      projectId: session.project.id,
      labeller: session.labeller,
      ttlSeconds: this.ttlSeconds,
    });
    const row = await getSampleById({ tx: this.knex, id: outcome.sampleId });
    if (!row) throw new Error(`sample ${outcome.sampleId} vanished during undo`);
    if (outcome.leased) session.held.add(row.id);
    // Undo is rare and may revert a label counted or not: read the count back rather than guess.
    session.mine = await countLabellerLabels({
      tx: this.knex,
      projectId: session.project.id,
      labeller: session.labeller,
    });
    this.progressCache.changed(session.project.id);
    return {
      sample: toSampleForLabelling(row, session.project),
      leased: outcome.leased,
      progress: await this.progress(session),
    };
  }
}
