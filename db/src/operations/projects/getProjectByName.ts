import type { Tx } from '../../knex';
import type { DbProjectRow } from '../../tables';

export async function getProjectByName({
  tx,
  name,
}: {
  tx: Tx;
  name: string;
}): Promise<DbProjectRow | undefined> {
  return tx<DbProjectRow>('projects').where({ name }).first();
}
