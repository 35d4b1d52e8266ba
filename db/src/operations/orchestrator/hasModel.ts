import type { Tx } from '../../knex';

/** Whether the project has a model version yet (without reading any model's artifacts). */
export async function hasModel({ tx, projectId }: { tx: Tx; projectId: number }): Promise<boolean> {
  const result = await tx.raw<{ rows: { exists: boolean }[] }>(
    'SELECT EXISTS (SELECT 1 FROM models WHERE project_id = ?) AS exists',
    [projectId],
  );
  return result.rows[0]?.exists ?? false;
}
