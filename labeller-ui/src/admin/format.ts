export function formatAccuracy(accuracy: number | null | undefined): string {
  return accuracy === undefined || accuracy === null ? '–' : `${(accuracy * 100).toFixed(1)}%`;
}

/** A 95% interval of an accuracy as `61.0–83.2%`. */
export function formatInterval(interval: readonly [number, number] | null | undefined): string {
  if (!interval) return '–';
  return `${(interval[0] * 100).toFixed(1)}–${(interval[1] * 100).toFixed(1)}%`;
}

export function formatHour(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
