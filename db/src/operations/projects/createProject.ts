import type { Tx } from '../../knex';
import type { DbProjectRow } from '../../tables';

export interface NewProject {
  name: string;
  options: string[];
  multiLabel?: boolean;
  labelsPerSample?: number;
  acquisition?: Record<string, unknown>;
  sourceRoots?: string[];
}

/** Inserts a project; fails on a duplicate name (callers look it up first). */
export async function createProject({
  tx,
  project,
}: {
  tx: Tx;
  project: NewProject;
}): Promise<DbProjectRow> {
  const [row] = await tx<DbProjectRow>('projects')
    .insert({
      name: project.name,
      options: JSON.stringify(project.options),
      multi_label: project.multiLabel ?? false,
      labels_per_sample: project.labelsPerSample ?? 1,
      acquisition: JSON.stringify(project.acquisition ?? {}),
      source_roots: project.sourceRoots ?? [],
    } as never)
    .returning('*');
  if (!row) throw new Error('insert into projects returned no row');
  return row;
}
