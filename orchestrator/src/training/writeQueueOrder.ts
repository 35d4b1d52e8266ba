/**
 * The only write the orchestrator makes to samples: new priorities and suggestions for the
 * scored pool, in chunks of one bulk UPDATE each, all in ONE transaction together with the
 * new model row and its NOTIFY. A crash (or SIGTERM, or a failed chunk) anywhere before
 * COMMIT leaves the queue exactly as it was and no model version without its order.
 * See writeSamplePriorities.ts for what labellers see while it runs.
 */
import {
  insertModelVersion,
  notifyModelCreated,
  setLocalLockTimeout,
  writeSamplePriorities,
  type ScoredSample,
} from '@al/db';
import type { Knex } from 'knex';

/**
 * Rows per UPDATE. Measured on 100k rows in one transaction (2-core box under load, after
 * samples_content_hash_idx was dropped): 5k-row chunks 2.6-3.1 s, 20k 2.1-2.2 s, 50k 2.2-2.7 s,
 * 100k 1.9-2.0 s, so past 20k the chunk size is noise; the cost is the new tuple + 3 index
 * entries per row (priority is indexed, so no HOT update), not the round trips. Locks are held
 * to COMMIT either way, so bigger chunks do not lengthen what labellers wait on.
 */
export const PRIORITY_CHUNK = 20_000;

export interface NewModel {
  trainedOn: number;
  metrics: Record<string, unknown>;
  backend: string;
  artifacts: unknown;
}

export interface QueueOrderWrite {
  knex: Knex;
  projectId: number;
  /** Undefined for a cold-start order (no model, no suggestions). */
  model: NewModel | undefined;
  /** Builds chunk rows from pool positions [start, end) once the model version is known. */
  rowsFor: (start: number, end: number) => ScoredSample[];
  poolSize: number;
  /** Test seam: runs inside the transaction before the first chunk (e.g. to inject a crash). */
  beforeWrite?: () => Promise<void>;
  signal?: AbortSignal;
}

export async function writeQueueOrder(
  w: QueueOrderWrite,
): Promise<{ modelId: number | null; version: number | null; written: number }> {
  return w.knex.transaction(async (trx) => {
    await setLocalLockTimeout({ tx: trx, milliseconds: 5_000 });
    const inserted = w.model
      ? await insertModelVersion({ tx: trx, projectId: w.projectId, ...w.model })
      : undefined;
    await w.beforeWrite?.();
    let written = 0;
    for (let start = 0; start < w.poolSize; start += PRIORITY_CHUNK) {
      w.signal?.throwIfAborted();
      written += await writeSamplePriorities({
        tx: trx,
        projectId: w.projectId,
        modelVersion: inserted?.version ?? null,
        samples: w.rowsFor(start, Math.min(w.poolSize, start + PRIORITY_CHUNK)),
      });
    }
    w.signal?.throwIfAborted();
    if (inserted) {
      await notifyModelCreated({ tx: trx, projectId: w.projectId, version: inserted.version });
    }
    return { modelId: inserted?.id ?? null, version: inserted?.version ?? null, written };
  });
}
