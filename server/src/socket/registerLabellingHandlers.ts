import {
  CLIENT_PAYLOAD_SCHEMAS,
  projectRoom,
  type Ack,
  type ClientEvent,
  type ClientPayload,
  type ClientResult,
} from '@al/contract';
import type { Logger } from '@al/media';
import type { LabellerSession } from '../services/labellerSession';
import type { LabellingService } from '../services/labelling';
import { ackError, describeZodError, toAckError } from './ackErrors';
import type { LabellerSocket } from './types';

/**
 * Wires one event: validate (the contract's payload schema) → service → ack; the payload and
 * the ack's data follow from the event name. Arguments arrive as whatever the client sent, so
 * the listener takes them raw. A client that sends no ack callback gets nothing done for it:
 * every request in the contract is acknowledged, so one without an ack is malformed.
 * `emit('sample:next', ack)` without a payload is taken as an empty payload.
 */
function handle<E extends ClientEvent>(
  socket: LabellerSocket,
  logger: Logger,
  event: E,
  run: (session: LabellerSession, payload: ClientPayload<E>) => Promise<ClientResult<E>>,
): void {
  const schema = CLIENT_PAYLOAD_SCHEMAS[event];
  const listener = (...args: unknown[]): void => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const reply = (res: Ack<ClientResult<E>>): void => {
      (ack as (res: Ack<ClientResult<E>>) => void)(res);
    };
    const parsed = schema.safeParse(args.length > 1 ? args[0] : {});
    if (!parsed.success) {
      reply(ackError('BAD_REQUEST', describeZodError(parsed.error)));
      return;
    }
    run(socket.data.session, parsed.data).then(
      (data) => {
        reply({ data });
      },
      (err: unknown) => {
        reply(toAckError(err, logger, event));
      },
    );
  };
  // socket.io types a listener by its event's payload; this one validates raw arguments first.
  const on: (e: ClientEvent, l: (...args: unknown[]) => void) => unknown = socket.on.bind(socket);
  on(event, listener);
}

export function registerLabellingHandlers(
  socket: LabellerSocket,
  service: LabellingService,
  logger: Logger,
): void {
  void socket.join(projectRoom(socket.data.session.project.id));
  handle(socket, logger, 'sample:next', (s) => service.next(s));
  handle(socket, logger, 'sample:label', (s, p) => service.label(s, p));
  handle(socket, logger, 'sample:skip', (s, p) => service.skip(s, p));
  handle(socket, logger, 'sample:undo', (s) => service.undo(s));
}
