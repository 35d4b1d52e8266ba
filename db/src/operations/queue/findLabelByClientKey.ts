import type { Tx } from '../../knex';
import type { DbLabelRow } from '../../tables';

/** The row a labeller already wrote under this idempotency key, if any (resends return it). */
export async function findLabelByClientKey({
  tx,
  labeller,
  clientKey,
}: {
  tx: Tx;
  labeller: string;
  clientKey: string;
}): Promise<DbLabelRow | undefined> {
  return tx<DbLabelRow>('labels').where({ labeller, client_key: clientKey }).first();
}
