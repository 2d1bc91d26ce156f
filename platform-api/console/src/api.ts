// Every call goes through the gateway's public API with the signed-in key (sessionStorage only:
// gone when the tab closes, never in a URL or a cookie).
const KEY = 'deltaplane.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY);
}
export function storeKey(key: string | null) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(public status: number, public code: string | undefined, message: string) {
    super(message);
  }
}

export async function api<T = any>(path: string, init: RequestInit = {}, key = storedKey()): Promise<T> {
  const headers = new Headers(init.headers);
  if (key) headers.set('Authorization', `Bearer ${key}`);
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  const response = await fetch(path, { ...init, headers, credentials: 'omit' });
  if (!response.ok) {
    let detail = response.statusText;
    let code: string | undefined;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
      code = problem.error_code;
    } catch {
      /* not problem+json */
    }
    throw new ApiError(response.status, code, `${response.status}: ${detail}`);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') || '';
  return (type.includes('json') ? response.json() : response.text()) as Promise<T>;
}

export function post<T = any>(path: string, body?: unknown) {
  return api<T>(path, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
}

export const enc = encodeURIComponent;

export type Scope = 'read' | 'write' | 'admin';
export const covers = (have: Scope, need: Scope) =>
  ({ read: 0, write: 1, admin: 2 })[have] >= ({ read: 0, write: 1, admin: 2 })[need];
