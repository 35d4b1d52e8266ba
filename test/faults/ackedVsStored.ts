/** The fault tests' one verdict: every acknowledged label is stored exactly once, nothing more. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Knex } from 'knex';
import type { SwarmStats } from './labellerSwarm';

export interface AckedVsStored {
  acked: number;
  stored: number;
}

export async function assertAckedEqualsStored(
  knex: Knex,
  stats: SwarmStats,
  namePrefix: string,
): Promise<AckedVsStored> {
  const rows = await knex('labels')
    .select('labeller', 'client_key')
    .count<{ labeller: string; client_key: string; count: number }[]>('* as count')
    .where('labeller', 'like', `${namePrefix}-%`)
    .andWhere('kind', 'label')
    .groupBy('labeller', 'client_key');
  const stored = new Map(rows.map((r) => [`${r.labeller} ${r.client_key}`, r.count]));
  const repeated = rows.filter((r) => r.count !== 1);
  assert.deepEqual(repeated, [], 'a clientKey stored more than once');
  const ackedKeys = new Set(stats.acked.map((a) => `${a.labeller} ${a.clientKey}`));
  assert.equal(ackedKeys.size, stats.acked.length, 'a clientKey was acked twice by the swarm');
  const missing = [...ackedKeys].filter((k) => !stored.has(k));
  assert.deepEqual(missing, [], 'acked labels missing from the database');
  const unacked = [...stored.keys()].filter((k) => !ackedKeys.has(k));
  assert.deepEqual(unacked, [], 'labels stored that no labeller saw acknowledged');
  return { acked: stats.acked.length, stored: rows.length };
}

/**
 * One line of figures per test, with a prefix the lead can grep for the closing note. A test
 * diagnostic (the spec reporter prints it under the test) rather than console output.
 */
export function printFigure(
  t: TestContext,
  test: string,
  figures: Record<string, number | string>,
): void {
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  t.diagnostic(`FAULT-FIGURES ${test}: ${text}`);
}
