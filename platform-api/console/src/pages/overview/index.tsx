import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { fmt, Problem, StateBadge } from '../../ui';
import { Chart } from './Chart';
import { ingestEvents, quantile, rate } from './figures';

interface Part {
  name: string;
  status: string;
  detail?: string;
  uptime_seconds?: number;
  pool_active?: number;
  pool_idle?: number;
  pool_pending?: number;
  pool_max?: number;
}
interface OverviewData {
  version: string;
  sampled_at: string;
  parts: Part[];
  figures: {
    commits_total?: number;
    commit_latency_buckets: Record<string, number>;
    publish_lag_seconds?: number;
    publish_lag_versions?: number;
    ingest_rows_total?: number;
    ingest_dead_letters_total?: number;
  };
}

const WINDOW = 60;
const INTERVAL_MS = 2000;

function uptime(s?: number) {
  if (s === undefined || s === null) return '—';
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function Overview() {
  const [data, setData] = useState<OverviewData>();
  const [error, setError] = useState<string>();
  const [kafka, setKafka] = useState<{ status: string; detail: string }>();
  const prev = useRef<{ at: number; d: OverviewData } | null>(null);
  const [series, setSeries] = useState<number[][]>([[], [], [], [], [], []]);

  useEffect(() => {
    let live = true;
    const sample = async () => {
      try {
        const d = await api<OverviewData>('/api/v1/console/overview');
        if (!live) return;
        setData(d);
        setError(undefined);
        const at = Date.parse(d.sampled_at) / 1000;
        const p = prev.current;
        if (p && at > p.at) {
          const dt = at - p.at;
          const point = [
            at,
            rate(d.figures.commits_total, p.d.figures.commits_total, dt),
            quantile(p.d.figures.commit_latency_buckets, d.figures.commit_latency_buckets, 0.5),
            quantile(p.d.figures.commit_latency_buckets, d.figures.commit_latency_buckets, 0.99),
            d.figures.publish_lag_seconds ?? 0,
            rate(ingestEvents(d.figures), ingestEvents(p.d.figures), dt),
          ];
          setSeries((s) => s.map((col, i) => [...col, point[i] as number].slice(-WINDOW)));
        }
        prev.current = { at, d };
      } catch (e: any) {
        if (live) setError(String(e.message));
      }
    };
    sample();
    const timer = setInterval(sample, INTERVAL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    // Kafka is seen through the ingest mappings: their consumers either read it or report why not.
    api<{ mappings: { name: string }[] }>('/api/v1/ingest/mappings')
      .then(async (r) => {
        const statuses = await Promise.all(
          r.mappings.map((m) => api<{ state: string; last_error?: string }>(`/api/v1/ingest/mappings/${encodeURIComponent(m.name)}/status`)),
        );
        const failing = statuses.filter((s) => s.state === 'RETRYING' || s.last_error);
        setKafka({
          status: statuses.length === 0 ? 'UNKNOWN' : failing.length ? 'DEGRADED' : 'UP',
          detail: `${statuses.length} mapping(s), ${failing.length} with errors`,
        });
      })
      .catch((e) => setKafka({ status: 'UNKNOWN', detail: String(e.message) }));
  }, []);

  const parts = data ? [...data.parts] : [];
  if (kafka) parts.push({ name: 'kafka', status: kafka.status, detail: kafka.detail });
  return (
    <section>
      <h1>Overview</h1>
      <Problem error={error} />
      {data && (
        <p className="muted">
          Version {data.version} · sampled {new Date(data.sampled_at).toLocaleTimeString()}
        </p>
      )}
      <div className="cards">
        {parts.map((p) => (
          <div className="card" key={p.name} data-part={p.name}>
            <h3>
              {p.name} <StateBadge state={p.status} />
            </h3>
            {p.uptime_seconds != null && <div>uptime {uptime(p.uptime_seconds)}</div>}
            {p.pool_max != null && (
              <div className="muted">
                pool: {fmt(p.pool_active)} active · {fmt(p.pool_idle)} idle · {fmt(p.pool_pending)} pending /{' '}
                {fmt(p.pool_max)}
              </div>
            )}
            {p.detail && <div className="muted small">{p.detail}</div>}
          </div>
        ))}
      </div>
      {data && (
        <p>
          Publish lag: {fmt(data.figures.publish_lag_versions)} version(s), {fmt(data.figures.publish_lag_seconds)} s ·
          ingest rows {fmt(data.figures.ingest_rows_total)} · dead letters {fmt(data.figures.ingest_dead_letters_total)}
        </p>
      )}
      <div className="charts">
        <Chart title="Commits/s" series={['commits/s']} data={[series[0], series[1]]} />
        <Chart title="Commit latency (ms)" series={['p50', 'p99']} data={[series[0], series[2], series[3]]} />
        <Chart title="Publish lag (s)" series={['lag']} data={[series[0], series[4]]} />
        <Chart title="Ingest events/s" series={['events/s']} data={[series[0], series[5]]} />
      </div>
    </section>
  );
}
