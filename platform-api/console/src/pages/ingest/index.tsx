import { useEffect, useRef, useState } from 'react';
import { api, enc, post } from '../../api';
import { href } from '../../router';
import { fmt, fmtTime, Loading, Problem, ScopedButton, StateBadge, useLoad } from '../../ui';
import { MappingPage } from './MappingPage';
import { PauseResume, REFRESH_MS } from './PauseResume';
import { mappingRates, Sample } from './rates';
import { TargetName } from './TargetName';

export function Ingest({ path }: { path: string[] }) {
  if (path[0]) return <MappingPage name={path[0]} />;
  return <Mappings />;
}

async function loadMappings() {
  const { mappings } = await api<{ mappings: any[] }>('/api/v1/ingest/mappings');
  return Promise.all(
    mappings.map(async (m) => ({
      mapping: m,
      status: await api(`/api/v1/ingest/mappings/${enc(m.name)}/status`).catch((e) => ({ state: 'UNKNOWN', last_error: String(e.message) })),
    })),
  );
}

function Mappings() {
  const [rows, error, reload] = useLoad(loadMappings, []);
  // States move on their own (a pause takes effect at the worker's next poll): refresh.
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const [report, setReport] = useState<any>();
  // events/s per mapping: the change of its counts between two refreshes
  const samples = useRef(new Map<string, Sample>());
  const [rates, setRates] = useState(new Map<string, number | null>());
  useEffect(() => {
    if (!rows) return;
    const next = mappingRates(
      samples.current,
      rows.map(({ mapping, status }: any) => ({ name: mapping.name, status })),
      Date.now(),
    );
    samples.current = next.samples;
    setRates(next.rates);
  }, [rows]);
  return (
    <section>
      <h1>Ingest</h1>
      <ScopedButton need="write" onClick={async () => setReport(await post('/api/v1/ingest/validate'))}>
        Validate all mappings
      </ScopedButton>
      {report && (
        <div className={report.ok ? 'ok' : 'problem'} role="status" data-testid="validate-report">
          Validation {report.ok ? 'passed' : 'found problems'}:{' '}
          {report.mappings.map((m: any) => `${m.name}: source ${m.source.ok ? 'ok' : m.source.detail}, sink ${m.sink.ok ? 'ok' : m.sink.detail}`).join('; ')}
        </div>
      )}
      <Problem error={error} />
      <Loading what={rows} />
      <table data-testid="mappings">
        <thead>
          <tr>
            <th>Mapping</th>
            <th>Source</th>
            <th>Target</th>
            <th>State</th>
            <th>Lag</th>
            <th>Events/s</th>
            <th>Rows</th>
            <th>Dead letters</th>
            <th>Last batch</th>
            <th>Last error</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rows?.map(({ mapping: m, status: s }: any) => (
            <tr key={m.name} data-mapping={m.name}>
              <td>
                <a href={href('ingest', m.name)}>{m.name}</a>
              </td>
              <td>{m.source?.topic ?? m.source?.event_hub}</td>
              <td>
                <TargetName target={m.target} />
              </td>
              <td>
                <StateBadge state={s.state} />
              </td>
              <td>{fmt(s.lag)}</td>
              <td data-testid="events-per-s">{fmt(rates.get(m.name) == null ? null : Math.round(rates.get(m.name)!))}</td>
              <td>{fmt(s.rows_ingested)}</td>
              <td>{fmt(s.rows_dead_lettered)}</td>
              <td>{fmtTime(s.last_batch_at)}</td>
              <td className="small">{fmt(s.last_error)}</td>
              <td>
                <PauseResume name={m.name} paused={m.paused} onDone={reload} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
