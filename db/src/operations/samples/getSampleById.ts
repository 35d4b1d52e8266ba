import type { Tx } from '../../knex';
import type { DbSampleRow } from '../../tables';

export async function getSampleById({
  tx,
  id,
}: {
  tx: Tx;
  id: number;
}): Promise<DbSampleRow | undefined> {
  return tx<DbSampleRow>('samples').where({ id }).first();
}
