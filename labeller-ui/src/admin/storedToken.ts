const KEY = 'admin.token';

/** The admin token lives for the tab's session only (sessionStorage), never in localStorage. */
export function loadToken(): string | undefined {
  const value = sessionStorage.getItem(KEY);
  return value === null || value === '' ? undefined : value;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
