import type { Tx } from '../../knex';
import type { DbModelRow } from '../../tables';

/**
 * Stores a new model version (previous max + 1). Only the orchestrator holding the project's
 * running job inserts models (one running job per project), so the max cannot race; the
 * UNIQUE (project_id, version) constraint would turn a race into an error, never a duplicate.
 */
export async function insertModelVersion({
  tx,
  projectId,
  trainedOn,
  metrics,
  backend,
  artifacts,
}: {
  tx: Tx;
  projectId: number;
  trainedOn: number;
  metrics: Record<string, unknown>;
  backend: string;
  artifacts: unknown;
}): Promise<Pick<DbModelRow, 'id' | 'version'>> {
  const result = await tx.raw<{ rows: Pick<DbModelRow, 'id' | 'version'>[] }>(
    `INSERT INTO models (project_id, version, trained_on, metrics, backend, artifacts)
     SELECT ?, coalesce(max(version), 0) + 1, ?, ?::jsonb, ?, ?::jsonb
     FROM models WHERE project_id = ?
     RETURNING id, version`,
    [projectId, trainedOn, JSON.stringify(metrics), backend, JSON.stringify(artifacts), projectId],
  );
  const row = result.rows[0];
  if (!row) throw new Error('insert into models returned no row');
  return row;
}
