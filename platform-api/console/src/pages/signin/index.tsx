import { useState } from 'react';
import { api, storeKey } from '../../api';
import type { Session } from '../../ui';

/** Sign-in with an API key; the key is kept in sessionStorage only once the gateway accepts it. */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  return (
    <div className="signin">
      <h1>Deltaplane console</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(undefined);
          try {
            const session = await api<Session>('/api/v1/console/session', {}, key.trim());
            storeKey(key.trim());
            onSignedIn(session);
          } catch (err: any) {
            setError(err.status === 401 ? 'That API key is not valid.' : String(err.message));
          }
        }}
      >
        <label>
          API key
          <input
            name="api-key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" disabled={!key.trim()}>
          Sign in
        </button>
        {error && <div className="problem" role="alert">{error}</div>}
        <p className="muted">
          The key stays in this tab (sessionStorage) and is sent with each API call. A read key sees everything and
          changes nothing.
        </p>
      </form>
    </div>
  );
}
