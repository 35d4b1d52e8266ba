import { createProject, getProjectByName, type DbProjectRow, type Tx } from '@al/db';

/** What an import asks of its project; unset fields mean "whatever the project already has". */
export interface ProjectSpec {
  name: string;
  options: string[];
  multiLabel?: boolean;
  labelsPerSample?: number;
}

export class ProjectMismatchError extends Error {
  override name = 'ProjectMismatchError';
}

const UNIQUE_VIOLATION = '23505';

function mismatches(project: DbProjectRow, spec: ProjectSpec): string[] {
  const problems: string[] = [];
  // Order counts: it is the button order labellers learn.
  if (JSON.stringify(project.options) !== JSON.stringify(spec.options)) {
    problems.push(`labels are ${project.options.join(',')} (asked for ${spec.options.join(',')})`);
  }
  if (spec.multiLabel !== undefined && spec.multiLabel !== project.multi_label) {
    problems.push(project.multi_label ? 'it is multi-label' : 'it is single-label');
  }
  if (spec.labelsPerSample !== undefined && spec.labelsPerSample !== project.labels_per_sample) {
    problems.push(`it wants ${project.labels_per_sample} label(s) per sample`);
  }
  return problems;
}

function checked(project: DbProjectRow, spec: ProjectSpec): DbProjectRow {
  const problems = mismatches(project, spec);
  if (problems.length > 0) {
    throw new ProjectMismatchError(
      `project "${spec.name}" already exists and ${problems.join('; ')}; ` +
        'import with the same settings or choose another project name',
    );
  }
  return project;
}

/** Returns the named project, creating it when missing; refuses one set up differently. */
export async function ensureProject({
  tx,
  spec,
}: {
  tx: Tx;
  spec: ProjectSpec;
}): Promise<{ project: DbProjectRow; created: boolean }> {
  const existing = await getProjectByName({ tx, name: spec.name });
  if (existing) return { project: checked(existing, spec), created: false };
  try {
    const project = await createProject({ tx, project: spec });
    return { project, created: true };
  } catch (err) {
    // Another importer created it between our read and insert: compare with theirs.
    if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
    const raced = await getProjectByName({ tx, name: spec.name });
    if (!raced) throw err;
    return { project: checked(raced, spec), created: false };
  }
}
