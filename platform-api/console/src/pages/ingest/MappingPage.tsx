import { api, enc } from '../../api';
import { href } from '../../router';
import { fmt, fmtTime, Loading, Problem, StateBadge, useLoad } from '../../ui';
import { useEffect } from 'react';
import { PauseResume, REFRESH_MS } from './PauseResume';
import { TargetName } from './TargetName';

/** A mapping: its status per partition, the latest rows it wrote and its latest dead letters. */
export function MappingPage({ name }: { name: string }) {
  const base = `/api/v1/ingest/mappings/${enc(name)}`;
  const [mapping, error, reload] = useLoad(() => api(base), [name]);
  const [status, statusError, reloadStatus] = useLoad(() => api(`${base}/status`), [name]);
  useEffect(() => {
    const timer = setInterval(reloadStatus, REFRESH_MS);
    return () => clearInterval(timer);
  }, [name]);
  const [rows, rowsError] = useLoad(() => api(`${base}/rows?limit=50`), [name]);
  const [dead, deadError] = useLoad(() => api(`${base}/dead-letters?limit=50`), [name]);
  return (
    <section>
      <p>
        <a href={href('ingest')}>Ingest</a> / {name}
      </p>
      <h1>
        {name} {status && <StateBadge state={status.state} />}
      </h1>
      <Problem error={error || statusError} />
      <Loading what={mapping} />
      {mapping && (
        <p>
          {mapping.source?.type} {mapping.source?.topic ?? mapping.source?.event_hub} →{' '}
          <TargetName target={mapping.target} /> · format {mapping.format} · version {mapping.version}{' '}
          <PauseResume
            name={name}
            paused={mapping.paused}
            onDone={() => {
              reload();
              reloadStatus();
            }}
          />
        </p>
      )}
      {status && (
        <>
          <p>
            Rows {fmt(status.rows_ingested)} · dead letters {fmt(status.rows_dead_lettered)} · batches {fmt(status.batches)} · lag{' '}
            {fmt(status.lag)} · last batch {fmtTime(status.last_batch_at)} · last error {fmt(status.last_error)}
            {status.stalled && <strong> · stalled: meant to consume and has not for 5 minutes</strong>}
            {status.recent_dead_letter_ratio != null &&
              ` · dead letters in the last 20 batches ${(status.recent_dead_letter_ratio * 100).toFixed(1)}%`}
          </p>
          <table>
            <thead>
              <tr>
                <th>Partition</th>
                <th>Sink offset</th>
                <th>Lag</th>
                <th>Behind (s)</th>
              </tr>
            </thead>
            <tbody>
              {(status.partitions ?? []).map((p: any) => (
                <tr key={p.partition}>
                  <td>{p.partition}</td>
                  <td>{fmt(p.sink_offset)}</td>
                  <td>{fmt(p.lag)}</td>
                  <td>{p.lag_seconds == null ? '—' : p.lag_seconds.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Latest rows</h2>
      <Problem error={rowsError} />
      {rows && (
        <table data-testid="rows">
          <thead>
            <tr>
              {rows.columns.map((c: any) => (
                <th key={c.name}>
                  {c.name} <span className="muted small">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.rows.map((r: any[], i: number) => (
              <tr key={i}>
                {r.map((v, j) => (
                  <td key={j}>{v === null ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Latest dead letters</h2>
      <Problem error={deadError} />
      {dead && (
        <table data-testid="dead-letters">
          <thead>
            <tr>
              <th>Recorded</th>
              <th>Partition/offset</th>
              <th>Error</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {dead.items.map((d: any, i: number) => (
              <tr key={i}>
                <td>{fmtTime(d.recorded_at)}</td>
                <td>
                  {d.partition}/{d.offset}
                </td>
                <td>{d.error}</td>
                <td>
                  <code>{d.payload}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
