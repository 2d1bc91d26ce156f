import { api, enc, storedKey } from '../../api';
import { href } from '../../router';
import { fmt, fmtDuration, fmtTime, Loading, Problem, StateBadge, useLoad } from '../../ui';

/** Artifacts are downloaded with the key in a header (never in the URL), then saved from a blob. */
async function download(uri: string) {
  const response = await fetch(uri, { headers: { Authorization: `Bearer ${storedKey()}` }, credentials: 'omit' });
  if (!response.ok) throw new Error(`${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = uri.split('/').pop() || 'artifact';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Snapshots({ title, items }: { title: string; items: any[] }) {
  return (
    <>
      <h2>{title}</h2>
      <table data-testid={title.toLowerCase()}>
        <thead>
          <tr>
            <th>Table</th>
            <th>Version</th>
            <th>Format</th>
            <th>URI</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s, i) => (
            <tr key={i}>
              <td>
                <a href={href('lineage', `table:${s.table_name}`)}>{s.table_name}</a>
              </td>
              <td>{fmt(s.version)}</td>
              <td>{fmt(s.format)}</td>
              <td className="small">{fmt(s.uri)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function RunPage({ runId }: { runId: string }) {
  const [run, error] = useLoad(() => api(`/api/v1/runs/${enc(runId)}`), [runId]);
  return (
    <section>
      <p>
        <a href={href('runs')}>Runs</a> / {runId}
      </p>
      <Problem error={error} />
      <Loading what={run} />
      {run && (
        <>
          <h1>
            {run.job_name} <StateBadge state={run.state} />
          </h1>
          <p>
            Run {run.run_id} · started {fmtTime(run.started_at)} · {fmtDuration(run.started_at, run.ended_at)} · source{' '}
            {fmt(run.source)} · <a href={href('lineage', `job:${run.job_name}`)}>lineage</a>
          </p>
          <Snapshots title="Inputs" items={run.inputs ?? []} />
          <Snapshots title="Outputs" items={run.outputs ?? []} />
          <h2>Artifacts</h2>
          <table data-testid="artifacts">
            <tbody>
              {(run.artifacts ?? []).map((a: any) => (
                <tr key={a.uri}>
                  <td>{a.type}</td>
                  <td className="small">{a.uri}</td>
                  <td>{fmt(a.size)} bytes</td>
                  <td>
                    {a.uri?.startsWith('/api/v1/datasets/') && <button onClick={() => download(a.uri)}>Download</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Events</h2>
          <table data-testid="events">
            <tbody>
              {(run.events ?? []).map((e: any) => (
                <tr key={e.event_id}>
                  <td>{fmtTime(e.created_at)}</td>
                  <td>{e.event_type}</td>
                  <td className="small">
                    <code>{JSON.stringify(e.data)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Metadata</h2>
          <pre data-testid="metadata">{JSON.stringify({ metadata: run.metadata, extra: run.extra }, null, 2)}</pre>
        </>
      )}
    </section>
  );
}
