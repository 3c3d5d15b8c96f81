import { Api, CallerKey } from './api';

// sessionStorage: the key lives as long as the tab, is not shared with other tabs and is never sent in a URL.
const STORAGE_KEY = 'gyre.console.apiKey';

export interface Session {
  api: Api;
  key: CallerKey;
  isAdmin: boolean;
}

/** Checks the key with the API (GET /v1/key) and keeps it for the tab; throws the API's refusal. */
export async function signIn(secret: string): Promise<Session> {
  const api = new Api(secret);
  const key = await api.get<CallerKey>('/v1/key');
  sessionStorage.setItem(STORAGE_KEY, secret);
  return { api, key, isAdmin: key.role === 'admin' };
}

/** The session kept in this tab, if its key still works. */
export async function resumeSession(): Promise<Session | undefined> {
  const secret = sessionStorage.getItem(STORAGE_KEY);
  if (secret === null) return undefined;
  try {
    return await signIn(secret);
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
