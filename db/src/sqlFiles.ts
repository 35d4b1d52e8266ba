import { readFile } from 'node:fs/promises';

/** The SQL files under db/src/sql/: one PL/pgSQL function each (see its README). */
export type SqlFile = 'lease_samples' | 'answer_samples';

export function readSqlFile(name: SqlFile): Promise<string> {
  return readFile(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}
