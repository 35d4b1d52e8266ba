import type { Tx } from '../../knex';
import type { DbProjectRow } from '../../tables';

export async function getProjectById({
  tx,
  id,
}: {
  tx: Tx;
  id: number;
}): Promise<DbProjectRow | undefined> {
  return tx<DbProjectRow>('projects').where({ id }).first();
}
