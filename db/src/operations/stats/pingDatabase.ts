import type { Tx } from '../../knex';

/** The cheapest round trip that proves the database answers (health checks). */
export async function pingDatabase({ tx }: { tx: Tx }): Promise<void> {
  await tx.raw('SELECT 1');
}
