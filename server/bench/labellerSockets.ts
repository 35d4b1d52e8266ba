import { io, type Socket } from 'socket.io-client';

/**
 * Connects `count` socket.io labellers named `<namePrefix>-<i>` to `url` (websocket only, no
 * reconnection): the client side of bench:socket and bench:sustained.
 */
export async function connectLabellers(
  url: string,
  count: number,
  namePrefix: string,
): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<Socket>((resolve, reject) => {
          const socket = io(url, {
            auth: { name: `${namePrefix}-${i}` },
            transports: ['websocket'],
            forceNew: true,
            reconnection: false,
          });
          socket.once('connect', () => {
            resolve(socket);
          });
          socket.once('connect_error', reject);
        }),
    ),
  );
}
