/** A labeller's socket.io connection and its acked requests, typed by the contract. */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvent,
  ClientPayload,
  ClientResult,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@al/contract';

export type LabellerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 30_000;

/** Connects one labeller (websocket only, no reconnection: a lost socket is an error here). */
export function connectLabeller(
  url: string,
  name: string,
  project: string,
): Promise<LabellerSocket> {
  return new Promise((resolve, reject) => {
    const socket: LabellerSocket = io(url, {
      auth: { name, project },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', reject);
  });
}

/** Sends an acked request; rejects when no ack comes within 30 s. */
export async function request<E extends ClientEvent>(
  socket: LabellerSocket,
  event: E,
  payload: ClientPayload<E>,
): Promise<Ack<ClientResult<E>>> {
  // socket.io cannot type a timed emit of a generic event; the contract says what comes back.
  const untyped = socket as unknown as Socket;
  const ack: unknown = await untyped.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  return ack as Ack<ClientResult<E>>;
}
