import { useState } from 'preact/hooks';
import { ApiError, api, call, session } from '../api';

/** Checks the key against an authenticated route before keeping it, so a wrong key shows the API's message. */
export function SignIn() {
  const [key, setKey] = useState('');
  // A tab signed out because the API refused its key opens with the reason.
  const [error, setError] = useState<string | null>(() => session.endedReason());
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const value = key.trim();
    if (!value) {
      setError('Enter the API key you were given (header X-API-Key).');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call(
        api.GET('/api/v1/jobs', { params: { query: { limit: 1 } }, headers: { 'X-API-Key': value } }),
      );
      session.signIn(value);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>Patient Generator console</h1>
      <p>Synthetic casualties for NATO medical exercises, from the point of injury to Role 4.</p>
      <form onSubmit={submit} class="card">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'sign-in-error' : 'sign-in-hint'}
        />
        <p id="sign-in-hint" class="hint">
          Kept in this tab only (session storage); closing the tab or “Sign out” forgets it.
        </p>
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        {/* aria-disabled, not disabled: a disabled button drops the keyboard focus (fix 0120). */}
        <button type="submit" aria-disabled={busy ? 'true' : undefined}>
          Sign in
        </button>
      </form>
    </main>
  );
}
