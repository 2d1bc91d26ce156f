import { useEffect, useState } from 'react';
import { api, storeKey } from '../../api';
import { beginSignIn, signInOptions, type OidcSignIn } from '../../oidc';
import type { Session } from '../../ui';

/**
 * Sign-in with an API key — the key is kept in sessionStorage only once the gateway accepts it —
 * or, when the platform has single sign-on for the console, with the identity provider.
 */
export function SignIn({ onSignedIn, error: initialError }: { onSignedIn: (s: Session) => void; error?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(initialError);
  const [oidc, setOidc] = useState<OidcSignIn | null>(null);
  useEffect(() => {
    signInOptions().then(setOidc, () => setOidc(null));
  }, []);
  return (
    <div className="signin">
      <h1>Deltaplane console</h1>
      {oidc && (
        <p>
          <button
            type="button"
            data-testid="sso"
            onClick={() => beginSignIn(oidc).catch((e) => setError(String(e.message || e)))}
          >
            Sign in with {new URL(oidc.issuer).host}
          </button>
        </p>
      )}
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
