import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, storeKey, storedKey } from './api';
import { completeSignIn } from './oidc';
import { href, useRoute } from './router';
import { SessionContext, type Session } from './ui';
import { SignIn } from './pages/signin';
import { Overview } from './pages/overview';
import { Tables } from './pages/tables';
import { Ingest } from './pages/ingest';
import { Runs } from './pages/runs';
import { Lineage } from './pages/lineage';
import { ApiKeys } from './pages/apikeys';
import { Audit } from './pages/audit';
import { Health } from './pages/health';
import './app.css';

const PAGES: [string, string][] = [
  ['overview', 'Overview'],
  ['tables', 'Tables'],
  ['ingest', 'Ingest'],
  ['runs', 'Runs'],
  ['health', 'Health'],
  ['lineage', 'Lineage'],
  ['audit', 'Audit'],
  ['api-keys', 'API keys'],
];

function App() {
  const returning = new URLSearchParams(window.location.search);
  const [session, setSession] = useState<Session | null | undefined>(
    storedKey() || returning.has('code') || returning.has('error') ? undefined : null,
  );
  const [signInError, setSignInError] = useState<string>();
  const route = useRoute();
  useEffect(() => {
    if (session !== undefined) return;
    let live = true;
    // back from the identity provider: its token is the session's credential from now on
    completeSignIn()
      .then(async (token) => {
        const session = await api<Session>('/api/v1/console/session', {}, token ?? storedKey());
        if (token) storeKey(token);
        return session;
      })
      .then(
        (s) => live && setSession(s),
        (e) => {
          if (!live) return;
          storeKey(null);
          setSignInError(e?.status === 401 ? 'The platform did not accept that sign-in.' : String(e?.message ?? e));
          setSession(null);
        },
      );
    return () => {
      live = false;
    };
  }, [session]);
  if (session === undefined) return <p className="muted">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={setSession} error={signInError} />;
  const [page = 'overview', ...rest] = route;
  return (
    <SessionContext.Provider value={session}>
      <header>
        <span className="brand">Deltaplane</span>
        <nav>
          {PAGES.filter(([id]) => id !== 'api-keys' || session.scope === 'admin').map(([id, label]) => (
            <a key={id} href={href(id)} className={page === id ? 'active' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span className="who">
          {session.name} <span className="badge">{session.scope}</span>
          <button
            onClick={() => {
              storeKey(null);
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>
        {page === 'overview' && <Overview />}
        {page === 'tables' && <Tables path={rest} />}
        {page === 'ingest' && <Ingest path={rest} />}
        {page === 'runs' && <Runs path={rest} />}
        {page === 'health' && <Health path={rest} />}
        {page === 'lineage' && <Lineage path={rest} />}
        {page === 'audit' && <Audit />}
        {page === 'api-keys' && <ApiKeys />}
      </main>
    </SessionContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
