import { useEffect, useState } from 'react';
import { api, enc } from '../../api';
import { href } from '../../router';
import { fmtDuration, fmtMs } from '../../format';
import { fmtTime, Loading, Problem, StateBadge, useLoad } from '../../ui';
import { fmtSeconds } from '../health/figures';
import { flow, RUN_STATES, runsPath } from './query';
import { RunPage } from './RunPage';

export function Runs({ path }: { path: string[] }) {
  if (path[0] === 'job') return <RecentRuns initialJob={path[1]} />;
  if (path[0]) return <RunPage runId={path[0]} />;
  return <RecentRuns />;
}

/** A page of recent runs across jobs (GET /api/v1/runs), filtered on the server. */
interface RunsPage {
  runs: any[];
  next_page_token?: string;
}

async function jobNames() {
  const jobs: string[] = [];
  let token: string | undefined;
  do {
    const page = await api(`/api/v1/jobs?max_results=1000${token ? `&page_token=${enc(token)}` : ''}`);
    jobs.push(...page.jobs.map((j: any) => j.job_name as string));
    token = page.next_page_token ?? undefined;
  } while (token && jobs.length < 5000);
  return jobs;
}

function RecentRuns({ initialJob = '' }: { initialJob?: string }) {
  const [state, setState] = useState('');
  const [job, setJob] = useState(initialJob);
  const [jobs] = useLoad(jobNames, []);
  const [first, error] = useLoad(() => api<RunsPage>(runsPath({ state, job })), [state, job]);
  const [more, setMore] = useState<RunsPage[]>([]);
  const [moreError, setMoreError] = useState<string>();
  useEffect(() => setMore([]), [first]);
  const pages = first ? [first, ...more] : [];
  const shown = pages.flatMap((p) => p.runs);
  const next = pages.length ? pages[pages.length - 1].next_page_token : undefined;
  const loadMore = () =>
    api<RunsPage>(runsPath({ state, job, pageToken: next })).then(
      (p) => setMore((m) => [...m, p]),
      (e) => setMoreError(String(e.message)),
    );
  return (
    <section>
      <h1>Runs</h1>
      <div className="inline">
        <select aria-label="state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">every state</option>
          {RUN_STATES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="job" value={job} onChange={(e) => setJob(e.target.value)}>
          <option value="">every job</option>
          {jobs?.map((j) => (
            <option key={j}>{j}</option>
          ))}
        </select>
      </div>
      {job && <JobHealthLine job={job} />}
      <Problem error={error || moreError} />
      <Loading what={first} />
      <table data-testid="runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Job</th>
            <th>State</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Inputs → outputs</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r: any) => (
            <tr key={r.run_id} data-run={r.run_id}>
              <td>
                <a href={href('runs', r.run_id)}>{r.run_id.slice(0, 8)}</a>
              </td>
              <td>
                <a href={href('lineage', `job:${r.job_name}`)}>{r.job_name}</a>
              </td>
              <td>
                <StateBadge state={r.state} />
              </td>
              <td>{fmtTime(r.started_at)}</td>
              <td>{r.duration_ms != null ? fmtMs(r.duration_ms) : fmtDuration(r.started_at)}</td>
              <td className="small">{flow(r.inputs, r.outputs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {first && shown.length === 0 && <p className="muted">No runs{state || job ? ' match these filters' : ' yet'}.</p>}
      {next && <button onClick={loadMore}>More runs</button>}
    </section>
  );
}

/** Lineage's judgement of a job's runs (GET /api/v1/jobs/{job}/health), as one line. */
function JobHealthLine({ job }: { job: string }) {
  const [health] = useLoad(() => api(`/api/v1/jobs/${enc(job)}/health`), [job]);
  if (!health) return null;
  const ok = health.status === 'HEALTHY' || health.status === 'UNKNOWN';
  return (
    <p data-testid="job-health" className={ok ? 'ok' : 'problem'}>
      {job}: {health.status}
      {health.reason && <> — {health.reason}</>}
      {health.usual_duration_seconds != null && <> · usually takes {fmtSeconds(health.usual_duration_seconds)}</>}
      {health.usual_interval_seconds != null && <> · runs every {fmtSeconds(health.usual_interval_seconds)}</>}
      {health.next_start_due_by && <> · next due by {fmtTime(health.next_start_due_by)}</>}
    </p>
  );
}
