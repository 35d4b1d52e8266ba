import { getProjectByName, type DbProjectRow, type Tx } from '@al/db';

/** A route named a project that does not exist (answered 404 by the HTTP error handler). */
export class ProjectNotFoundError extends Error {
  override name = 'ProjectNotFoundError';
}

/** The project called `name`, or a ProjectNotFoundError. */
export async function requireProject(tx: Tx, name: string): Promise<DbProjectRow> {
  const project = await getProjectByName({ tx, name });
  if (!project) throw new ProjectNotFoundError(`no project named "${name}"`);
  return project;
}
