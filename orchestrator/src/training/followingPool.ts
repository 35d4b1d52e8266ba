import { hasModel, type Tx } from '@al/db';

/**
 * Until a project's first model, labellers take every pick from its cold-start order: while
 * the rest of a fresh import is decoded, the order follows the pool each time the pool has
 * doubled (orders cost about their pool's size, so all of them together cost less than two
 * of the last). Undefined once a model exists: its order stands until the next one.
 */
export async function followingPool(
  knex: Tx,
  projectId: number,
  orderedPool: number,
  order: (decoded: number) => Promise<{ poolSize: number }>,
) {
  if (await hasModel({ tx: knex, projectId })) return undefined;
  let pool = orderedPool;
  let decodedAtOrder = 0;
  return {
    /** Decoded (by this retrain) when the last order was written. */
    orderedAt: () => decodedAtOrder,
    afterPage: async (decoded: number) => {
      if (decoded - decodedAtOrder < Math.max(pool, 1)) return;
      pool = (await order(decoded)).poolSize;
      decodedAtOrder = decoded;
    },
  };
}
