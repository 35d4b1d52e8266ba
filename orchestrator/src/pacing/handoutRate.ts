/**
 * How fast labellers are being served, read from the only channel between the server and the
 * orchestrator: the growth of the hand-out log in Postgres between two reads.
 */
import { getLatestHandoutId, type Tx } from '@al/db';

export class HandoutRate {
  private last: { id: number; at: number } | undefined;

  constructor(private readonly knex: Tx) {}

  /** Hand-outs per second since the previous read (0 on the first). */
  async read(): Promise<number> {
    const id = await getLatestHandoutId({ tx: this.knex });
    const at = performance.now();
    const last = this.last;
    this.last = { id, at };
    return last && at > last.at ? (Math.max(0, id - last.id) * 1_000) / (at - last.at) : 0;
  }
}
