import type { Knex } from 'knex';

/**
 * Bounds how long this transaction waits for any lock (row locks are skipped, but a table
 * lock taken by a migration or a manual VACUUM FULL would otherwise stall the orchestrator
 * while it holds row locks labellers wait on). Ends with the transaction.
 */
export async function setLocalLockTimeout({
  tx,
  milliseconds,
}: {
  tx: Knex.Transaction;
  milliseconds: number;
}): Promise<void> {
  await tx.raw(`SELECT set_config('lock_timeout', ?, true)`, [`${Math.round(milliseconds)}ms`]);
}
