import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { covers, type Scope } from './api';

export interface Session {
  id: string;
  name: string;
  prefix: string;
  scope: Scope;
}
export const SessionContext = createContext<Session | null>(null);
export const useSession = () => useContext(SessionContext)!;

/** Loads once (and again when deps change); errors shown in place. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [T | undefined, string | undefined, () => void] {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (d) => live && setData(d),
      (e) => live && setError(String(e.message || e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return [data, error, reload];
}

export function Problem({ error }: { error?: string }) {
  return error ? <div className="problem" role="alert">{error}</div> : null;
}

export function Loading({ what }: { what?: unknown }) {
  return what === undefined ? <p className="muted">Loading…</p> : null;
}

/** A button that needs a scope: disabled, with the reason, for keys that lack it. */
export function ScopedButton(props: {
  need: Scope;
  onClick: () => Promise<unknown> | void;
  children: ReactNode;
  danger?: boolean;
}) {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const allowed = covers(session.scope, props.need);
  return (
    <span className="action">
      <button
        className={props.danger ? 'danger' : undefined}
        disabled={!allowed || busy}
        title={allowed ? undefined : `Needs an API key with scope '${props.need}' (this key: ${session.scope})`}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await props.onClick();
          } catch (e: any) {
            setError(String(e.message || e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.children}
      </button>
      {!allowed && <small className="muted"> needs {props.need} scope</small>}
      {error && <small className="problem-inline"> {error}</small>}
    </span>
  );
}

export const fmtTime = (t?: string | null) => (t ? new Date(t).toLocaleString() : '—');
export const fmt = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
export { fmtDuration } from './format';
export function StateBadge({ state }: { state?: string }) {
  return <span className={`badge state-${(state || 'unknown').toLowerCase()}`}>{state || 'UNKNOWN'}</span>;
}

/** Previous/Next over a paged list: {@code tokens} is the stack of page tokens that led here. */
export function Pager(props: { tokens: string[]; setTokens: (t: string[]) => void; next?: string | null }) {
  const { tokens, setTokens, next } = props;
  return (
    <>
      <button disabled={!tokens.length} onClick={() => setTokens(tokens.slice(0, -1))}>
        Previous
      </button>
      <button disabled={!next} onClick={() => next && setTokens([...tokens, next])}>
        Next
      </button>
    </>
  );
}
