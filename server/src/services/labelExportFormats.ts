import type { ExportedLabelRow } from '@al/db';
import type { FinalLabelRow, LabelLogRow } from '@al/contract';

export const CSV_HEADER =
  'id,sample_id,source_uri,labeller,kind,value,undoes_id,conflict,time_spent_ms,created_at\n';

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF, quotes doubled. */
export function csvQuoted(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * csvQuoted for files people open in a spreadsheet: a leading =, +, - or @ is prefixed with '
 * so a labeller's name is not run as a formula.
 */
export function csvField(value: string | number | boolean | null): string {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return csvQuoted(`'${value}`);
  return csvQuoted(value);
}

/** A multi-label value is its options joined by |, in the raw and the final export alike. */
export function valueText(value: ExportedLabelRow['value']): string | null {
  if (value === null) return null;
  return Array.isArray(value) ? value.join('|') : value;
}

export function csvLine(row: ExportedLabelRow): string {
  return (
    [
      row.id,
      row.sample_id,
      row.source_uri,
      row.labeller,
      row.kind,
      valueText(row.value),
      row.undoes_id,
      row.conflict,
      row.time_spent_ms,
      row.created_at.toISOString(),
    ]
      .map(csvField)
      .join(',') + '\n'
  );
}

export function jsonlLine(row: ExportedLabelRow): string {
  const record: LabelLogRow = {
    id: row.id,
    sampleId: row.sample_id,
    sourceUri: row.source_uri,
    labeller: row.labeller,
    kind: row.kind,
    value: row.value,
    undoesId: row.undoes_id,
    conflict: row.conflict,
    timeSpentMs: row.time_spent_ms,
    createdAt: row.created_at.toISOString(),
  };
  return JSON.stringify(record) + '\n';
}

export const FINAL_CSV_HEADER = 'sampleId,uri,label,confidence,answers\n';

/** An unanswered image has an empty label and confidence and 0 answers. */
export function finalCsvLine(row: FinalLabelRow): string {
  return (
    [row.sampleId, row.uri, valueText(row.label), row.confidence, row.answers]
      .map(csvField)
      .join(',') + '\n'
  );
}

export function finalJsonlLine(row: FinalLabelRow): string {
  return JSON.stringify(row) + '\n';
}
