import { useState } from 'react';
import { api, enc } from '../../api';
import { Problem, useLoad, useSession } from '../../ui';
import { AuditTable } from '../audit';

export type SecurableType = 'catalog' | 'schema' | 'table';

// Unity Catalog's privileges on each securable, as PATCH …/permissions/{type}/{name} takes them;
// what is granted on a catalog or schema is inherited by what it holds.
const PRIVILEGES: Record<SecurableType, string[]> = {
  catalog: ['USE_CATALOG', 'USE_SCHEMA', 'CREATE_SCHEMA', 'CREATE_TABLE', 'SELECT', 'MODIFY', 'MANAGE', 'ALL_PRIVILEGES'],
  schema: ['USE_SCHEMA', 'CREATE_TABLE', 'SELECT', 'MODIFY', 'MANAGE', 'ALL_PRIVILEGES'],
  table: ['SELECT', 'MODIFY', 'MANAGE', 'ALL_PRIVILEGES'],
};

/**
 * Who may do what with a catalog, schema or table: its grants (anyone who may see it may see them),
 * the signed-in principal's effective privileges with where each comes from, a grant/revoke form
 * (the platform allows it to owners and holders of MANAGE), and — for those — its recent audit
 * events (a catalog's and schema's include what happened inside them). What the caller may not do
 * is never requested, so a reader sees no refusals.
 */
export function Access({ type, fullName }: { type: SecurableType; fullName: string }) {
  const permissions = `/api/2.1/unity-catalog/permissions/${type}/${enc(fullName)}`;
  const [grants, grantsError, reloadGrants] = useLoad(() => api(permissions), [type, fullName]);
  const [mine, mineError, reloadMine] = useLoad(
    () => api(`/api/2.1/unity-catalog/effective-permissions/${type}/${enc(fullName)}`),
    [type, fullName],
  );
  const held: any[] = mine?.privilege_assignments?.[0]?.privileges ?? [];
  // a metastore admin (an admin-scope session) manages everything
  const manages = useSession().scope === 'admin' || held.some((p) => p.privilege === 'MANAGE');
  return (
    <>
      <div className="cols" data-testid="access">
        <div>
          <h2>Grants</h2>
          <Problem error={grantsError} />
          {grants && (grants.privilege_assignments ?? []).length > 0 && (
            <table data-testid="grants">
              <thead>
                <tr>
                  <th>Principal</th>
                  <th>Privileges on this {type}</th>
                </tr>
              </thead>
              <tbody>
                {(grants.privilege_assignments ?? []).map((a: any) => (
                  <tr key={a.principal} data-principal={a.principal}>
                    <td>{a.principal}</td>
                    <td>{a.privileges.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {grants && !(grants.privilege_assignments ?? []).length && (
            <p className="muted">Nothing granted on the {type} itself{type === 'catalog' ? '' : ` (what its ${type === 'table' ? "schema and catalog" : 'catalog'} grants applies)`}.</p>
          )}
          {manages && (
            <GrantForm
              permissions={permissions}
              privileges={PRIVILEGES[type]}
              done={() => {
                reloadGrants();
                reloadMine();
              }}
            />
          )}
        </div>
        <div>
          <h2>Your privileges</h2>
          <Problem error={mineError} />
          <ul data-testid="my-privileges">
            {bySource(held).map(([source, privileges]) => (
              <li key={source}>
                {privileges.join(', ')} <span className="muted">from {source}</span>
              </li>
            ))}
          </ul>
          {mine && !held.length && <p className="muted">None on this {type}.</p>}
        </div>
      </div>
      {manages && <Activity fullName={fullName} />}
    </>
  );
}

/** Effective privileges grouped by the securable they come from, outermost first (as answered). */
function bySource(held: any[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const p of held) {
    const source = p.inherited_from_type === 'metastore' ? 'the metastore' : `${p.inherited_from_type} ${p.inherited_from_name}`;
    groups.set(source, [...(groups.get(source) ?? []), p.privilege]);
  }
  return [...groups.entries()];
}

function GrantForm({ permissions, privileges, done }: { permissions: string; privileges: string[]; done: () => void }) {
  const [principal, setPrincipal] = useState('');
  const [privilege, setPrivilege] = useState(privileges[0]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const change = async (kind: 'add' | 'remove') => {
    setBusy(true);
    setError(undefined);
    try {
      await api(permissions, {
        method: 'PATCH',
        body: JSON.stringify({ changes: [{ principal: principal.trim(), [kind]: [privilege] }] }),
      });
      done();
    } catch (e: any) {
      setError(String(e.message || e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline" onSubmit={(e) => e.preventDefault()}>
      <input aria-label="principal" placeholder="principal or group" value={principal} onChange={(e) => setPrincipal(e.target.value)} />
      <select aria-label="privilege" value={privilege} onChange={(e) => setPrivilege(e.target.value)}>
        {privileges.map((p) => (
          <option key={p}>{p}</option>
        ))}
      </select>
      <button disabled={busy || !principal.trim()} onClick={() => change('add')}>
        Grant
      </button>
      <button disabled={busy || !principal.trim()} onClick={() => change('remove')}>
        Revoke
      </button>
      <Problem error={error} />
    </form>
  );
}

/** The securable's latest audit events (who did what, newest first); its managers may read them. */
function Activity({ fullName }: { fullName: string }) {
  const [page, error] = useLoad(() => api(`/api/v1/audit?securable=${enc(fullName)}&max_results=10`), [fullName]);
  return (
    <>
      <h2>Recent activity</h2>
      <Problem error={error} />
      {page && (
        <AuditTable events={page.events ?? []} testId="activity" />
      )}
    </>
  );
}
