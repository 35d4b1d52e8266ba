import type { Tx } from '../../knex';
import type { DbProjectRow } from '../../tables';

/** Active projects by name, or with `archived` the archived ones. */
export async function listProjects({
  tx,
  archived = false,
}: {
  tx: Tx;
  archived?: boolean;
}): Promise<DbProjectRow[]> {
  const query = tx<DbProjectRow>('projects').orderBy('name');
  return archived ? query.whereNotNull('archived_at') : query.whereNull('archived_at');
}
