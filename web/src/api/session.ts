/**
 * The API key lives in sessionStorage only: gone when the tab closes, never in localStorage or a URL.
 */
const KEY = 'milmed.apiKey';
type Listener = () => void;
const listeners = new Set<Listener>();
/** Why the tab was signed out without the planner asking (the API refused the key), for the sign-in page. */
let endedBecause: string | null = null;

export const session = {
  apiKey(): string | null {
    return sessionStorage.getItem(KEY);
  },
  signIn(key: string): void {
    endedBecause = null;
    sessionStorage.setItem(KEY, key);
    for (const l of listeners) l();
  },
  /** `reason`: the key stopped working (revoked, rotated, expired); the sign-in page says so. */
  signOut(reason: string | null = null): void {
    endedBecause = reason;
    sessionStorage.removeItem(KEY);
    for (const l of listeners) l();
  },
  endedReason(): string | null {
    return endedBecause;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
