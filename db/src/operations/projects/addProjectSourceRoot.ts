import type { Tx } from '../../knex';

/** Records a folder or s3:// prefix as a root images of the project may be served from. */
export async function addProjectSourceRoot({
  tx,
  projectId,
  root,
}: {
  tx: Tx;
  projectId: number;
  root: string;
}): Promise<void> {
  await tx.raw(
    `UPDATE projects SET source_roots = array_append(source_roots, ?::text)
     WHERE id = ? AND NOT (?::text = ANY(source_roots))`,
    [root, projectId, root],
  );
}
