import type { Tx } from '../../knex';

/** Channel the server LISTENs on to broadcast `model:updated` to labellers. */
export const MODEL_CREATED_CHANNEL = 'model_created';

export interface ModelCreatedPayload {
  projectId: number;
  version: number;
}

/**
 * Tells every listening server that a project has a new model version. Called by the
 * orchestrator in (or right after) the transaction that inserts the model row; Postgres
 * delivers it on commit, so a listener that reads the row back always finds it.
 */
export async function notifyModelCreated({
  tx,
  projectId,
  version,
}: {
  tx: Tx;
  projectId: number;
  version: number;
}): Promise<void> {
  const payload: ModelCreatedPayload = { projectId, version };
  await tx.raw('SELECT pg_notify(?, ?)', [MODEL_CREATED_CHANNEL, JSON.stringify(payload)]);
}
