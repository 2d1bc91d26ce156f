import { useState } from 'react';
import { api, enc } from '../../api';
import { href } from '../../router';
import { Chart } from '../overview/Chart';
import { fmt, fmtTime, Loading, Pager, Problem, useLoad } from '../../ui';
import { latePath } from '../lineage/path';
import { cadenceSeries, fmtSeconds, volumeSeries } from './figures';

/**
 * Data health: the open incidents of the tables you may read (each a root late table, with the
 * tables it makes late and their lineage paths), recent resolved ones, and one table's health —
 * its status against the expectation, its daily volume, and its commits a day against the usual
 * count and the fewest the allowed silence permits.
 */
export function Health({ path }: { path: string[] }) {
  if (path[0]) return <TableHealthView table={path[0]} />;
  return <Incidents />;
}

function Incidents() {
  const [status, setStatus] = useState('OPEN');
  const [tokens, setTokens] = useState<string[]>([]);
  const token = tokens[tokens.length - 1];
  const [page, error] = useLoad(
    () => api(`/api/v1/incidents?status=${status}&max_results=25${token ? `&page_token=${enc(token)}` : ''}`),
    [status, token],
  );
  return (
    <section>
      <h1>Health</h1>
      <p className="muted">
        Late tables you may read. A table made late by a late table upstream is listed under that table's incident,
        with the lineage path between them.
      </p>
      <form className="inline" onSubmit={(e) => e.preventDefault()}>
        <select
          aria-label="status"
          value={status}
          onChange={(e) => {
            setTokens([]);
            setStatus(e.target.value);
          }}
        >
          <option value="OPEN">Open</option>
          <option value="RESOLVED">Resolved</option>
        </select>
      </form>
      <Problem error={error} />
      <Loading what={page} />
      {page && (
        <>
          <table data-testid="incidents">
            <thead>
              <tr>
                <th>Table</th>
                <th>Opened</th>
                <th>Quiet for</th>
                <th>Allowed</th>
                <th>Expectation</th>
                <th>Affected downstream</th>
              </tr>
            </thead>
            <tbody>
              {(page.incidents ?? []).map((i: any) => (
                <tr key={i.id} className={i.status === 'OPEN' ? 'late' : undefined}>
                  <td>
                    <a href={href('health', i.table)}>{i.table}</a>
                  </td>
                  <td>{fmtTime(i.opened_at)}</td>
                  <td>{fmtSeconds(i.staleness_seconds)}</td>
                  <td>{fmtSeconds(i.allowed_silence_seconds)}</td>
                  <td>{fmt(i.expectation)}</td>
                  <td>
                    {(i.affected ?? []).length === 0 ? (
                      '—'
                    ) : (
                      <ul className="paths">
                        {i.affected.map((p: string) => (
                          <li key={p} data-testid="affected-path">
                            <a href={latePathHref(p)}>{p}</a>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!(page.incidents ?? []).length && (
            <p className="muted">{status === 'OPEN' ? 'Every table you may read is on time.' : 'None yet.'}</p>
          )}
          <Pager tokens={tokens} setTokens={setTokens} next={page.next_page_token} />
        </>
      )}
    </section>
  );
}

function TableHealthView({ table }: { table: string }) {
  const [health, error] = useLoad(() => api(`/api/v1/tables/${enc(table)}/health`), [table]);
  const f = health?.freshness;
  return (
    <section>
      <h1>
        <a href={href('health')}>Health</a> / {table}
      </h1>
      <Problem error={error} />
      <Loading what={health} />
      {health && (
        <>
          <p data-testid="health-status" className={health.status === 'LATE' ? 'problem' : 'ok'}>
            {health.status}: last data commit {fmtTime(health.last_data_commit_at)}, quiet for{' '}
            {fmtSeconds(health.staleness_seconds)}
            {f?.allowed_silence_seconds != null && <> of the {fmtSeconds(f.allowed_silence_seconds)} allowed</>}.
          </p>
          <dl>
            <dt>Expectation</dt>
            <dd>
              {f?.source === 'declared' && (
                <>
                  declared on the {f.declared_on}: <code>{f.sla}</code>
                </>
              )}
              {f?.source === 'learned' && (
                <>
                  learned from {f.history_commits} commits ({f.basis.replace('_', ' ')}
                  {f.weeks ? `, ${f.weeks} weeks` : ''}): usually quiet {fmtSeconds(f.usual_silence_seconds)} at this
                  time
                </>
              )}
              {f?.source === 'none' && 'none yet: declare deltaplane.freshness.sla or let it commit 10 times'}
            </dd>
            <dt>Usual interval</dt>
            <dd>{fmtSeconds(f?.usual_interval_seconds)}</dd>
            {health.incident && (
              <>
                <dt>Incident</dt>
                <dd data-testid="health-incident">
                  {health.incident.role === 'ROOT' && <>its own{health.incident.cause && <>: {health.incident.cause}</>}</>}
                  {health.incident.role === 'AFFECTED' &&
                    (health.incident.root ? (
                      <>
                        affected by <a href={href('health', health.incident.root)}>{health.incident.root}</a>
                        {health.incident.path && (
                          <>
                            {' '}
                            via <a href={latePathHref(health.incident.path)}>{health.incident.path}</a>
                          </>
                        )}
                        {health.incident.cause && <> ({health.incident.cause})</>}
                      </>
                    ) : (
                      'affected by the incident of a late table upstream that you may not read'
                    ))}
                </dd>
              </>
            )}
            {health.volume?.anomaly && (
              <>
                <dt>Volume</dt>
                <dd className="problem">
                  {health.volume.anomaly.day} added {health.volume.anomaly.rows_added} rows against a usual{' '}
                  {health.volume.anomaly.usual_rows_added} ({health.volume.anomaly.compared_with})
                </dd>
              </>
            )}
          </dl>
          <Chart title="Rows and commits a day" series={['rows added', 'commits']} data={volumeSeries(health.volume, health.evaluated_at)} />
          <Chart
            title="Commits a day against the expectation"
            series={['commits', 'usual', 'fewest allowed']}
            data={cadenceSeries(health.volume, health.evaluated_at, f) as number[][]}
          />
          <p>
            <a href={href('tables', table)}>The table</a> · <a href={href('lineage', 'table:' + table)}>its lineage</a>
          </p>
        </>
      )}
    </section>
  );
}

/** The lineage picture with an incident's path from its root to the affected table drawn in red. */
function latePathHref(path: string) {
  const late = latePath(path);
  return late ? href('lineage', late.end, 'late', path) : href('lineage');
}
