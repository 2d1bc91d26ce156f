import { useState } from 'react';
import { api, enc } from '../../api';
import { fmt, fmtTime, Loading, Pager, Problem, ScopedButton, useLoad, useSession } from '../../ui';

interface Filters {
  principal: string;
  securable: string;
  action: string;
}

const query = (f: Filters, token?: string) =>
  [
    'max_results=25',
    ...Object.entries(f)
      .filter(([, v]) => v.trim())
      .map(([k, v]) => `${k}=${enc(v.trim())}`),
    ...(token ? [`page_token=${enc(token)}`] : []),
  ].join('&');

/**
 * The audit trail, newest first: everything for a metastore admin, what the caller manages when a
 * securable is named, else the caller's own requests (the API decides). Admins verify the chain.
 */
export function Audit() {
  const session = useSession();
  const [draft, setDraft] = useState<Filters>({ principal: '', securable: '', action: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens[tokens.length - 1];
  const [page, error] = useLoad(() => api(`/api/v1/audit?${query(filters, token)}`), [filters, token]);
  const [verified, setVerified] = useState<any>();
  return (
    <section>
      <h1>Audit</h1>
      <p className="muted">
        {session.scope === 'admin'
          ? 'Every request the platform audited, newest first.'
          : 'Your own requests, newest first; name a securable you manage to see its events.'}
      </p>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setTokens([]);
          setFilters(draft);
        }}
      >
        {(['principal', 'securable', 'action'] as const).map((k) => (
          <input
            key={k}
            aria-label={k}
            placeholder={k === 'securable' ? 'securable, e.g. main.sales' : k === 'action' ? 'action, e.g. DELETE' : k}
            value={draft[k]}
            onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
          />
        ))}
        <button type="submit">Filter</button>
      </form>
      <ScopedButton need="admin" onClick={async () => setVerified(await api('/api/v1/admin/audit/verify'))}>
        Verify the chain
      </ScopedButton>
      {verified && (
        <p className={verified.intact ? 'ok' : 'problem'} role="status" data-testid="audit-verified">
          {verified.intact ? 'The chain is intact.' : `Broken at ${verified.broken_at}: ${verified.reason}`}
        </p>
      )}
      <Problem error={error} />
      <Loading what={page} />
      {page && (
        <>
          <AuditTable events={page.events ?? []} testId="audit" />
          {!(page.events ?? []).length && <p className="muted">No audited requests match these filters.</p>}
          <Pager tokens={tokens} setTokens={setTokens} next={page.next_page_token} />
        </>
      )}
    </section>
  );
}

/** Audit events as rows: who, how authenticated, from where, what, on what, and how it ended. */
export function AuditTable({ events, testId }: { events: any[]; testId: string }) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>Time</th>
          <th>Principal</th>
          <th>Authenticated by</th>
          <th>From</th>
          <th>Action</th>
          <th>Securable</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e: any) => (
          <tr key={e.id}>
            <td>{fmtTime(e.at)}</td>
            <td>{fmt(e.principal)}</td>
            <td className="small">{e.authentication}</td>
            <td className="small">{e.source_address}</td>
            <td>{e.action}</td>
            <td>{e.securable_name ? `${e.securable_type} ${e.securable_name}` : '—'}</td>
            <td>
              {e.outcome} ({e.status})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
