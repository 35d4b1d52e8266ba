import type { GoldItemInput } from '@al/contract';

/** A CSV that cannot be read as gold answers; the message says where. */
export class GoldInputError extends Error {
  override name = 'GoldInputError';
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new GoldInputError('the CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/**
 * Gold answers from a CSV with a header naming `uri` and `label` columns (others are ignored).
 * In multi-label projects a label cell holds its options joined by `|`, as the exports write
 * them; an empty label cell promotes the image's review in force.
 */
export function parseGoldCsv(text: string, multiLabel: boolean): GoldItemInput[] {
  const [header, ...rows] = parseRecords(text.replace(/^\uFEFF/, ''));
  if (!header) throw new GoldInputError('the CSV is empty: expected a header with uri,label');
  const names = header.map((h) => h.trim().toLowerCase());
  const uriAt = names.indexOf('uri');
  const labelAt = names.indexOf('label');
  if (uriAt < 0 || labelAt < 0) {
    throw new GoldInputError(
      `the header must name uri and label columns (got ${header.join(',')})`,
    );
  }
  return rows.map((row, i) => {
    const uri = row[uriAt]?.trim() ?? '';
    if (uri === '') throw new GoldInputError(`line ${i + 2}: empty uri`);
    const cell = row[labelAt]?.trim() ?? '';
    if (cell === '') return { uri };
    return { uri, label: multiLabel ? cell.split('|').map((o) => o.trim()) : cell };
  });
}
