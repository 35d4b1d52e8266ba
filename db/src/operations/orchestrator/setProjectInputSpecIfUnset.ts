import type { Tx } from '../../knex';

/**
 * Stores a derived input size unless the project already has one (set by an admin, or by
 * another orchestrator a moment earlier): returns the spec the project now has, so every
 * caller goes on with the same one.
 */
export async function setProjectInputSpecIfUnset({
  tx,
  projectId,
  inputSpec,
}: {
  tx: Tx;
  projectId: number;
  inputSpec: Record<string, unknown>;
}): Promise<unknown> {
  const result = await tx.raw<{ rows: { input_spec: unknown }[] }>(
    `UPDATE projects SET input_spec = coalesce(input_spec, ?::jsonb)
     WHERE id = ? RETURNING input_spec`,
    [JSON.stringify(inputSpec), projectId],
  );
  return result.rows[0]?.input_spec;
}
