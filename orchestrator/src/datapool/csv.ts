/** RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A float32 as the shortest decimal that reads back to the same float32 (9 significant digits
 * always do), so the CSV is exact without printing float64 noise.
 */
export function float32Field(value: number): string {
  return String(Number(value.toPrecision(9)));
}
