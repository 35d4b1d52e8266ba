export function formatAccuracy(accuracy: number | null | undefined): string {
  return accuracy === undefined || accuracy === null ? '–' : `${(accuracy * 100).toFixed(1)}%`;
}

export function formatHour(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
