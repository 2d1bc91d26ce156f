import { useState } from 'react';
import { api, enc } from '../../api';
import { href } from '../../router';
import { Loading, Problem, useLoad } from '../../ui';
import { Access, type SecurableType } from './Access';
import { TablePage } from './TablePage';

/**
 * Catalog → schema → table browser with search, with each schema's views, volumes, functions and
 * registered models, and the metastore's storage credentials
 * (Unity Catalog's). A full name opens its page: a table's (three parts), or a catalog's or
 * schema's access (one or two parts; Unity Catalog names hold no dot).
 */
export function Tables({ path }: { path: string[] }) {
  const parts = path[0]?.split('.') ?? [];
  if (parts.length === 3) return <TablePage fullName={path[0]} />;
  if (parts.length === 1 || parts.length === 2) {
    return <ContainerPage type={parts.length === 1 ? 'catalog' : 'schema'} fullName={path[0]} />;
  }
  return <Browser />;
}

/** A catalog's or schema's grants, the caller's privileges on it and, for its managers, its activity. */
function ContainerPage({ type, fullName }: { type: SecurableType; fullName: string }) {
  return (
    <section>
      <p>
        <a href={href('tables')}>Tables</a> / {fullName}
      </p>
      <h1>
        {fullName} <span className="muted small">{type}</span>
      </h1>
      <Access type={type} fullName={fullName} />
    </section>
  );
}

function Browser() {
  const [catalogs, error] = useLoad(() => api('/api/v1/catalogs?max_results=1000'), []);
  const [search, setSearch] = useState('');
  return (
    <section>
      <h1>Tables</h1>
      <input
        className="search"
        placeholder="Search tables (name contains…)"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      <Problem error={error} />
      <Loading what={catalogs} />
      <ul className="tree">
        {catalogs?.catalogs.map((c: any) => (
          <Catalog key={c.name} name={c.name} search={search} />
        ))}
      </ul>
      <StorageCredentials />
    </section>
  );
}

/** The metastore's storage credentials the caller may see (Unity Catalog's), with the identity each names. */
function StorageCredentials() {
  const [listed, error] = useLoad(() => api('/api/2.1/unity-catalog/credentials?max_results=1000'), []);
  const credentials: any[] = listed?.credentials ?? [];
  if (!error && credentials.length === 0) {
    return null;
  }
  return (
    <>
      <h2>Storage credentials</h2>
      <Problem error={error} />
      <ul>
        {credentials.map((c: any) => (
          <li key={c.name} data-testid="storage-credential">
            {c.name} <span className="muted small">{c.purpose?.toLowerCase()}</span>{' '}
            <span className="muted small">
              {c.aws_iam_role?.role_arn ??
                (c.azure_service_principal ? 'Azure service principal' : c.azure_managed_identity ? 'Azure managed identity' : '')}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function Catalog({ name, search }: { name: string; search: string }) {
  const [open, setOpen] = useState(true);
  const [schemas, error] = useLoad(
    () => (open ? api(`/api/v1/schemas?catalog_name=${enc(name)}&max_results=1000`) : Promise.resolve(undefined)),
    [open],
  );
  return (
    <li>
      <button className="link" onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} {name}
      </button>{' '}
      <a className="small" href={href('tables', name)}>
        access
      </a>
      <Problem error={error} />
      {open && (
        <ul>
          {schemas?.schemas.map((s: any) => (
            <Schema key={s.name} catalog={name} name={s.name} search={search} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Unity Catalog's securables of a schema beside its Delta tables: views, volumes, functions, models. */
function unityList(kind: 'tables' | 'volumes' | 'functions' | 'models', catalog: string, schema: string) {
  return api(`/api/2.1/unity-catalog/${kind}?catalog_name=${enc(catalog)}&schema_name=${enc(schema)}&max_results=1000`);
}

function Schema({ catalog, name, search }: { catalog: string; name: string; search: string }) {
  const [tables, error] = useLoad(
    () => api(`/api/v1/tables?catalog_name=${enc(catalog)}&schema_name=${enc(name)}&max_results=1000`),
    [],
  );
  const [unity, unityError] = useLoad(
    () =>
      Promise.all([
        unityList('tables', catalog, name),
        unityList('volumes', catalog, name),
        unityList('functions', catalog, name),
        unityList('models', catalog, name),
      ]),
    [],
  );
  const matches = (fullName: string) => fullName.toLowerCase().includes(search.toLowerCase());
  const others: { fullName: string; kind: string; detail: string }[] = unity
    ? [
        ...(unity[0].tables ?? [])
          .filter((t: any) => t.table_type === 'VIEW' || t.table_type === 'METRIC_VIEW')
          .map((t: any) => ({
            fullName: `${catalog}.${name}.${t.name}`,
            kind: t.table_type === 'VIEW' ? 'view' : 'metric view',
            detail: t.owner ?? '',
          })),
        ...(unity[1].volumes ?? []).map((v: any) => ({
          fullName: v.full_name,
          kind: `${v.volume_type.toLowerCase()} volume`,
          detail: v.storage_location,
        })),
        ...(unity[2].functions ?? []).map((f: any) => ({
          fullName: f.full_name,
          kind: 'function',
          detail: f.external_language ?? f.routine_body,
        })),
        ...(unity[3].registered_models ?? []).map((m: any) => ({
          fullName: m.full_name,
          kind: 'registered model',
          detail: m.storage_location,
        })),
      ].filter((o) => matches(o.fullName))
    : [];
  const shown = (tables?.tables ?? []).filter((t: any) => matches(t.full_name));
  return (
    <li>
      <span className="muted">▾ {name}</span>{' '}
      <a className="small" href={href('tables', `${catalog}.${name}`)}>
        access
      </a>
      <Problem error={error} />
      <ul>
        {shown.map((t: any) => (
          <li key={t.full_name}>
            <a href={href('tables', t.full_name)}>{t.name}</a>{' '}
            <span className="muted small">
              v{t.version} · published v{t.publish?.published_version ?? '—'}
            </span>
          </li>
        ))}
        {others.map((o) => (
          <li key={o.fullName} data-testid="unity-securable">
            {o.fullName.split('.')[2]} <span className="muted small">{o.kind}</span>{' '}
            <span className="muted small">{o.detail}</span>
          </li>
        ))}
      </ul>
      <Problem error={unityError} />
    </li>
  );
}
