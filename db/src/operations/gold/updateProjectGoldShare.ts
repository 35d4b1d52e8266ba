import type { Tx } from '../../knex';

/** Sets the share of each labeller's hand-outs that are gold images (0..0.5). */
export async function updateProjectGoldShare({
  tx,
  projectId,
  share,
}: {
  tx: Tx;
  projectId: number;
  share: number;
}): Promise<void> {
  await tx.raw(`UPDATE projects SET gold_share = ? WHERE id = ?`, [share, projectId]);
}
