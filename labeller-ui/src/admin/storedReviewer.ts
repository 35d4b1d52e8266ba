const KEY = 'admin.reviewer';

/** The name a reviewer's decisions are recorded under, kept across visits on this browser. */
export function loadReviewer(): string {
  return localStorage.getItem(KEY) ?? '';
}

export function saveReviewer(name: string): void {
  localStorage.setItem(KEY, name);
}
