import type { Tx } from '../../knex';
import type { DbProjectRow } from '../../tables';

export async function listProjects({ tx }: { tx: Tx }): Promise<DbProjectRow[]> {
  return tx<DbProjectRow>('projects').orderBy('name');
}
