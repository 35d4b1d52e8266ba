import type { z } from 'zod';
import {
  LabelPayloadSchema,
  NextPayloadSchema,
  SkipPayloadSchema,
  UndoPayloadSchema,
  projectRoom,
  type Ack,
} from '@al/contract';
import type { Logger } from '@al/media';
import type { LabellerSession } from '../services/labellerSession';
import type { LabellingService } from '../services/labelling';
import { ackError, describeZodError, toAckError } from './ackErrors';
import type { LabellerSocket } from './types';

/**
 * Wires one event: validate (zod) → service → ack. A client that sends no ack callback gets
 * nothing done for it: every request in the contract is acknowledged, so one without an ack
 * is malformed. `emit('sample:next', ack)` without a payload is taken as an empty payload.
 */
function handle<S extends z.ZodType, R>(
  socket: LabellerSocket,
  logger: Logger,
  event: string,
  schema: S,
  run: (session: LabellerSession, payload: z.infer<S>) => Promise<R>,
): void {
  // The typed event map is for callers; here we take raw arguments and validate them.
  const listener = (...args: unknown[]): void => {
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const reply = ack as (res: Ack<R>) => void;
    const raw = args.length > 1 ? args[0] : {};
    const parsed = schema.safeParse(raw);
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
  (socket as unknown as { on: (e: string, l: (...args: unknown[]) => void) => void }).on(
    event,
    listener,
  );
}

export function registerLabellingHandlers(
  socket: LabellerSocket,
  service: LabellingService,
  logger: Logger,
): void {
  void socket.join(projectRoom(socket.data.session.project.id));
  handle(socket, logger, 'sample:next', NextPayloadSchema, (s) => service.next(s));
  handle(socket, logger, 'sample:label', LabelPayloadSchema, (s, p) => service.label(s, p));
  handle(socket, logger, 'sample:skip', SkipPayloadSchema, (s, p) => service.skip(s, p));
  handle(socket, logger, 'sample:undo', UndoPayloadSchema, (s) => service.undo(s));
}
