import pg from 'pg';

export interface WaitShare {
  /**
   * `CPU` when the backend is running, `IdleInTx` when it sits in an open transaction waiting
   * for the client's next statement (a round trip), else `wait_event_type:wait_event`.
   */
  state: string;
  /** Average number of backends of the bench database in this state. */
  backends: number;
}

/**
 * Polls pg_stat_activity of one database on its own connection while a level runs, so the
 * report shows where backends spend their time (CPU, row/tuple locks, WAL flushes, round trips inside transactions).
 */
export async function startWaitSampler(url: string, { afterMs = 0, everyMs = 200 } = {}) {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-monitor' });
  await client.connect();
  const totals = new Map<string, number>();
  let samples = 0;
  const stopping = new AbortController();
  const loop = (async () => {
    await new Promise((resolve) => setTimeout(resolve, afterMs)); // skip the warm-up
    while (!stopping.signal.aborted) {
      const { rows } = await client.query<{ state: string; n: number }>(
        `SELECT CASE WHEN state = 'idle in transaction' THEN 'IdleInTx'
                    ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') END AS state,
                count(*)::int AS n
         FROM pg_stat_activity
         WHERE datname = current_database() AND state IN ('active', 'idle in transaction')
           AND pid <> pg_backend_pid()
         GROUP BY 1`,
      );
      samples += 1;
      for (const r of rows) totals.set(r.state, (totals.get(r.state) ?? 0) + r.n);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async (): Promise<WaitShare[]> => {
      stopping.abort();
      await loop;
      await client.end();
      return [...totals.entries()]
        .map(([state, n]) => ({
          state,
          backends: Math.round((n / Math.max(1, samples)) * 10) / 10,
        }))
        .sort((a, b) => b.backends - a.backends)
        .slice(0, 6);
    },
  };
}
