import type { Tx } from '../../knex';

/** Appends an exclusion (or an inclusion again) of a labeller's answers; nothing is deleted. */
export async function insertLabellerExclusion({
  tx,
  projectId,
  labeller,
  excluded,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
  excluded: boolean;
}): Promise<void> {
  await tx('labeller_exclusions').insert({ project_id: projectId, labeller, excluded });
}
