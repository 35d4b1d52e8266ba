import type { LabellerAccess } from '../app/labellerAccess';
import { RefusalCounter } from '../app/refusalCounter';
import { HandshakeAuthSchema } from '@al/contract';
import type { Logger } from '@al/media';
import { SessionRefused, type LabellerSessions } from '../services/labellerSession';
import { describeZodError } from './ackErrors';
import type { LabellerSocket } from './types';

class HandshakeError extends Error {
  override name = 'HandshakeError';
}

/**
 * socket.io middleware: validates `auth: { name, project?, token? }`, checks the labeller token
 * when one is required (per labeller: the token must be that name's own), then opens the
 * labeller's session and attaches it to the socket. A refusal reaches the client as
 * `connect_error` with the message below.
 */
export function createHandshake(deps: {
  sessions: LabellerSessions;
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
      socket.data.session = await deps.sessions.open(auth.name, auth.project);
    };
    run().then(
      () => {
        next();
      },
      (err: unknown) => {
        if (err instanceof HandshakeError || err instanceof SessionRefused) {
          next(err);
          return;
        }
        deps.logger.error({ err }, 'handshake failed');
        next(new Error('internal error'));
      },
    );
  };
}
