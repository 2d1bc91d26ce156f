import { useState } from 'react';
import { api, enc, post } from '../../api';
import { fmtTime, Loading, Problem, ScopedButton, useLoad } from '../../ui';

/** Admin: the API keys, a new key shown once (with a copy button), revoking. */
export function ApiKeys() {
  const [keys, error, reload] = useLoad(() => api('/api/v1/admin/api-keys'), []);
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [created, setCreated] = useState<any>();
  const [copied, setCopied] = useState(false);
  return (
    <section>
      <h1>API keys</h1>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <input aria-label="key name" placeholder="name, e.g. daily-sales-etl" value={name} onChange={(e) => setName(e.target.value)} />
        <select aria-label="scope" value={scope} onChange={(e) => setScope(e.target.value)}>
          <option>read</option>
          <option>write</option>
          <option>admin</option>
        </select>
        <ScopedButton
          need="admin"
          onClick={async () => {
            setCopied(false);
            setCreated(await post('/api/v1/admin/api-keys', { name, scope }));
            setName('');
            reload();
          }}
        >
          Create key
        </ScopedButton>
      </form>
      {created && (
        <div className="ok" role="status">
          New key <b>{created.name}</b> ({created.scope}) — copy it now, it is not shown again:{' '}
          <code data-testid="new-key">{created.key}</code>{' '}
          <button
            onClick={async () => {
              await navigator.clipboard.writeText(created.key);
              setCopied(true);
            }}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>{' '}
          <button onClick={() => setCreated(undefined)}>Done</button>
        </div>
      )}
      <Problem error={error} />
      <Loading what={keys} />
      <table data-testid="api-keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Prefix</th>
            <th>Scope</th>
            <th>Created</th>
            <th>State</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {keys?.api_keys.map((k: any) => (
            <tr key={k.id} data-key={k.name}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}</code>
              </td>
              <td>{k.scope}</td>
              <td>{fmtTime(k.created_at)}</td>
              <td>{k.active ? 'active' : `revoked ${fmtTime(k.revoked_at)}`}</td>
              <td>
                {k.active && (
                  <ScopedButton
                    need="admin"
                    danger
                    onClick={async () => {
                      await api(`/api/v1/admin/api-keys/${enc(k.id)}`, { method: 'DELETE' });
                      reload();
                    }}
                  >
                    Revoke
                  </ScopedButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
