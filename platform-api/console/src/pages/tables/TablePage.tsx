import { useState } from 'react';
import { api, enc, post } from '../../api';
import { href } from '../../router';
import { Access } from './Access';
import { fmt, fmtTime, Loading, Pager, Problem, ScopedButton, useLoad } from '../../ui';

export function TablePage({ fullName }: { fullName: string }) {
  const base = `/api/v1/tables/${enc(fullName)}`;
  const [table, error] = useLoad(() => api(base), [fullName]);
  const [publish, publishError, reloadPublish] = useLoad(() => api(`${base}/publish`), [fullName]);
  const [history, historyError] = useLoad(() => api(`${base}/history?max_results=50`), [fullName]);
  const [maintenance, maintenanceError] = useLoad(() => api(`${base}/maintenance`), [fullName]);
  const [reconciled, setReconciled] = useState<any>();
  return (
    <section>
      <p>
        <a href={href('tables')}>Tables</a> / {fullName}
      </p>
      <h1>{fullName}</h1>
      <Problem error={error} />
      <Loading what={table} />
      {table && (
        <>
          <p>
            Version <b data-testid="table-version">{table.version}</b> · {table.location} ·{' '}
            <a href={href('lineage', `table:${fullName}`)}>lineage</a>
          </p>
          <div className="cols">
            <div>
              <h2>Schema</h2>
              <table>
                <thead>
                  <tr>
                    <th>Column</th>
                    <th>Type</th>
                    <th>Nullable</th>
                    <th>Partition</th>
                  </tr>
                </thead>
                <tbody>
                  {(table.schema?.fields ?? []).map((f: any) => (
                    <tr key={f.name}>
                      <td>{f.name}</td>
                      <td>{typeof f.type === 'string' ? f.type : JSON.stringify(f.type)}</td>
                      <td>{f.nullable ? 'yes' : 'no'}</td>
                      <td>{table.partition_columns?.includes(f.name) ? 'yes' : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h2>Publish state</h2>
              <Problem error={publishError} />
              {publish && (
                <dl className="facts" data-testid="publish">
                  <dt>Published version</dt>
                  <dd>{fmt(publish.published_version)}</dd>
                  <dt>Lag</dt>
                  <dd>
                    {fmt(publish.lag_versions)} version(s), {fmt(publish.lag_seconds)} s
                  </dd>
                  <dt>Last checkpoint</dt>
                  <dd>{fmt(publish.last_checkpoint_version)}</dd>
                  <dt>Last error</dt>
                  <dd>
                    {fmt(publish.last_error)} {publish.last_error_at && `(${fmtTime(publish.last_error_at)})`}
                  </dd>
                  <dt>Iceberg metadata</dt>
                  <dd data-testid="iceberg">
                    {publish.iceberg?.delta_version == null
                      ? 'not made yet (made at the first Iceberg load)'
                      : `reflects version ${publish.iceberg.delta_version}` +
                        (publish.table_version > publish.iceberg.delta_version
                          ? ` (${publish.table_version - publish.iceberg.delta_version} version(s) behind)`
                          : '')}
                    {publish.iceberg?.last_error &&
                      ` · last error: ${publish.iceberg.last_error}` +
                        (publish.iceberg.last_error_at ? ` (${fmtTime(publish.iceberg.last_error_at)})` : '')}
                  </dd>
                </dl>
              )}
              <ScopedButton
                need="admin"
                onClick={async () => {
                  setReconciled(await post(`${base}/publish/reconcile`));
                  reloadPublish();
                }}
              >
                Reconcile
              </ScopedButton>
              {reconciled && (
                <p className="ok" role="status">
                  Reconciled: published v{reconciled.published_version}, repaired{' '}
                  {(reconciled.repaired_versions ?? []).length} version(s).
                </p>
              )}
            </div>
          </div>
          <Access type="table" fullName={fullName} />
          <h2>Maintenance</h2>
          <Problem error={maintenanceError} />
          {maintenance && <Maintenance state={maintenance} />}
          <h2>History</h2>
          <Problem error={historyError} />
          <table data-testid="history">
            <thead>
              <tr>
                <th>Version</th>
                <th>Time</th>
                <th>Operation</th>
                <th>Counts</th>
              </tr>
            </thead>
            <tbody>
              {history?.commits.map((c: any) => (
                <tr key={c.version}>
                  <td>{c.version}</td>
                  <td>{fmtTime(c.timestamp)}</td>
                  <td>{c.operation}</td>
                  <td className="small">
                    {Object.entries(c.commit_info?.operationMetrics ?? {})
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Files base={base} latest={table.version} />
        </>
      )}
    </section>
  );
}

/** The maintenance worker's policy for the table, what its last OPTIMIZE and VACUUM did, and every run's link. */
function Maintenance({ state }: { state: any }) {
  const optimize = state.last_optimize;
  const vacuum = state.last_vacuum;
  return (
    <dl className="facts" data-testid="maintenance">
      <dt>Policy</dt>
      <dd>
        {state.auto_enabled ? 'automatic' : 'off'}:{' '}
        {state.auto_compact
          ? `OPTIMIZE from ${fmt(state.optimize_min_small_files)} files under ${fmt(state.target_file_size_bytes)} bytes`
          : 'no OPTIMIZE (delta.autoOptimize.autoCompact=false)'}
        ; {state.auto_vacuum ? `VACUUM every ${fmt(state.vacuum_interval_hours)} h` : 'no VACUUM (deltaplane.autoVacuum=false)'}
      </dd>
      <dt>Last OPTIMIZE</dt>
      <dd>
        {optimize
          ? `${fmtTime(state.last_optimize_at)}: ${optimize.files_removed} files into ${optimize.files_added}` +
            (optimize.version != null ? ` (version ${optimize.version})` : '')
          : 'none yet'}
      </dd>
      <dt>Last VACUUM</dt>
      <dd>
        {vacuum
          ? `${fmtTime(state.last_vacuum_at)}: ${vacuum.file_count} files deleted (retention ${vacuum.retention_hours} h)`
          : 'none yet'}
      </dd>
      <dt>Last error</dt>
      <dd>
        {fmt(state.last_error)} {state.last_error_at && `(${fmtTime(state.last_error_at)})`}
      </dd>
      <dt>Runs</dt>
      <dd>
        <a data-testid="maintenance-runs" href={href('runs', 'job', `maintenance:${state.table}`)}>
          every OPTIMIZE, VACUUM and log cleanup, in lineage
        </a>
      </dd>
    </dl>
  );
}

/** Live files at a version or timestamp (time travel), a page at a time. */
function Files({ base, latest }: { base: string; latest: number }) {
  const [mode, setMode] = useState<'version' | 'timestamp'>('version');
  const [at, setAt] = useState(String(latest));
  const [query, setQuery] = useState(`version=${latest}`);
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens[tokens.length - 1];
  const [page, error] = useLoad(
    () => api(`${base}/snapshot/files?${query}&max_results=25${token ? `&page_token=${encodeURIComponent(token)}` : ''}`),
    [query, token],
  );
  return (
    <div>
      <h2>Live files</h2>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setTokens([]);
          setQuery(mode === 'version' ? `version=${encodeURIComponent(at)}` : `timestamp=${encodeURIComponent(new Date(at).toISOString())}`);
        }}
      >
        <select value={mode} onChange={(e) => setMode(e.target.value as any)} aria-label="time travel by">
          <option value="version">at version</option>
          <option value="timestamp">at time</option>
        </select>
        <input
          aria-label="time travel to"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          placeholder={mode === 'version' ? '3' : '2026-01-01T12:00:00Z'}
        />
        <button type="submit">Show</button>
      </form>
      <Problem error={error} />
      {page && (
        <>
          <p className="muted" data-testid="files-version">
            Version {page.version}: {page.files.length} file(s) on this page
          </p>
          <table data-testid="files">
            <thead>
              <tr>
                <th>Path</th>
                <th>Size</th>
                <th>Partition values</th>
                <th>Modified</th>
              </tr>
            </thead>
            <tbody>
              {page.files.map((f: any) => (
                <tr key={f.path}>
                  <td>{f.path}</td>
                  <td>{fmt(f.size)}</td>
                  <td>{JSON.stringify(f.partitionValues ?? {})}</td>
                  <td>{f.modificationTime ? new Date(f.modificationTime).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager tokens={tokens} setTokens={setTokens} next={page.next_page_token} />
        </>
      )}
    </div>
  );
}
