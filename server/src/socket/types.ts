import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@al/contract';
import type { LabellerSession } from '../services/labellerSession';

export interface SocketData {
  session: LabellerSession;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
export type InterServerEvents = {};

export type LabellerServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type LabellerSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
