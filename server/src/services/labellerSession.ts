import type { Knex } from 'knex';
import { countLabellerLabels, getProjectByName, listProjects, type DbProjectRow } from '@al/db';

/** What a connected labeller's socket carries: who, in which project, holding what. */
export interface LabellerSession {
  labeller: string;
  project: Pick<DbProjectRow, 'id' | 'name' | 'options' | 'multi_label'>;
  /** Sample ids leased to this socket and not yet labelled or skipped: renewed, then released. */
  held: Set<number>;
  /**
   * The labeller's effective labels in the project: read once at connect, then kept by this
   * socket's own actions (another tab of the same name is not seen until it reconnects).
   */
  mine: number;
}

/** A session cannot be opened; the message is written for the labeller. */
export class SessionRefused extends Error {
  override name = 'SessionRefused';
}

/** Opens a labeller's session in the project they named, or in the only project there is. */
export class LabellerSessions {
  constructor(private readonly knex: Knex) {}

  async open(labeller: string, projectName: string | undefined): Promise<LabellerSession> {
    const project = await this.resolveProject(projectName);
    const mine = await countLabellerLabels({ tx: this.knex, projectId: project.id, labeller });
    return {
      labeller,
      project: {
        id: project.id,
        name: project.name,
        options: project.options,
        multi_label: project.multi_label,
      },
      held: new Set(),
      mine,
    };
  }

  private async resolveProject(name: string | undefined): Promise<DbProjectRow> {
    if (name !== undefined) {
      const project = await getProjectByName({ tx: this.knex, name });
      if (!project) throw new SessionRefused(`unknown project "${name}"`);
      if (project.archived_at !== null) {
        throw new SessionRefused(`project "${name}" is archived: an admin can unarchive it`);
      }
      return project;
    }
    const projects = await listProjects({ tx: this.knex });
    const only = projects[0];
    if (projects.length === 1 && only) return only;
    if (projects.length === 0)
      throw new SessionRefused('there is no project yet: import images first');
    throw new SessionRefused(
      `several projects exist; choose one in auth.project (${projects.map((p) => p.name).join(', ')})`,
    );
  }
}
