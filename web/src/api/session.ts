/**
 * The API key lives in sessionStorage only: gone when the tab closes, never in localStorage or a URL.
 */
const KEY = 'milmed.apiKey';
type Listener = () => void;
const listeners = new Set<Listener>();

export const session = {
  apiKey(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(key: string): void {
    sessionStorage.setItem(KEY, key);
    for (const l of listeners) l();
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    for (const l of listeners) l();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
