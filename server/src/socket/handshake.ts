import type { Knex } from 'knex';
import { countLabellerLabels, getProjectByName, listProjects, type DbProjectRow } from '@al/db';
import type { LabellerAccess } from '../app/labellerAccess';
import { RefusalCounter } from '../app/refusalCounter';
import { HandshakeAuthSchema } from '@al/contract';
import type { Logger } from '@al/media';
import { describeZodError } from './ackErrors';
import type { LabellerSocket } from './types';

class HandshakeError extends Error {
  override name = 'HandshakeError';
}

async function resolveProject(knex: Knex, name: string | undefined): Promise<DbProjectRow> {
  if (name !== undefined) {
    const project = await getProjectByName({ tx: knex, name });
    if (!project) throw new HandshakeError(`unknown project "${name}"`);
    return project;
  }
  const projects = await listProjects({ tx: knex });
  const only = projects[0];
  if (projects.length === 1 && only) return only;
  if (projects.length === 0)
    throw new HandshakeError('there is no project yet: import images first');
  throw new HandshakeError(
    `several projects exist; choose one in auth.project (${projects.map((p) => p.name).join(', ')})`,
  );
}

/**
 * socket.io middleware: validates `auth: { name, project?, token? }`, checks the labeller token
 * when one is required (per labeller: the token must be that name's own), picks the project and
 * attaches the labeller's session. A refusal reaches the client as `connect_error` with the
 * message below.
 */
export function createHandshake(deps: {
  knex: Knex;
  labellerAccess: LabellerAccess;
  logger: Logger;
}) {
  // Token guessing over handshakes is as slow as over HTTP: 30 refusals a minute per address.
  const refusals = new RefusalCounter(30);
  return (socket: LabellerSocket, next: (err?: Error) => void): void => {
    const run = async () => {
      const address = socket.handshake.address;
      if (refusals.blocked(address)) {
        throw new HandshakeError('too many refused handshakes from this address; retry later');
      }
      const parsed = HandshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) throw new HandshakeError(`bad auth: ${describeZodError(parsed.error)}`);
      const auth = parsed.data;
      if (!deps.labellerAccess.allowsLabeller(auth.name, auth.token)) {
        refusals.add(address);
        // One message for a wrong token and for a name that is not the token's: no oracle.
        throw new HandshakeError(
          deps.labellerAccess.mode === 'per-labeller'
            ? 'a valid labeller token for this name is required'
            : 'a valid labeller token is required',
        );
      }
      const project = await resolveProject(deps.knex, auth.project);
      const mine = await countLabellerLabels({
        tx: deps.knex,
        projectId: project.id,
        labeller: auth.name,
      });
      socket.data.session = {
        labeller: auth.name,
        project: {
          id: project.id,
          name: project.name,
          options: project.options,
          multi_label: project.multi_label,
        },
        held: new Set(),
        mine,
        ahead: undefined,
        gone: false,
      };
    };
    run().then(
      () => {
        next();
      },
      (err: unknown) => {
        if (err instanceof HandshakeError) {
          next(err);
          return;
        }
        deps.logger.error({ err }, 'handshake failed');
        next(new Error('internal error'));
      },
    );
  };
}
