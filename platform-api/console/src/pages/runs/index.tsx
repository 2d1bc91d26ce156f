import { useState } from 'react';
import { api, enc } from '../../api';
import { href } from '../../router';
import { fmtDuration, fmtTime, Loading, Problem, StateBadge, useLoad } from '../../ui';
import { RunPage } from './RunPage';

export function Runs({ path }: { path: string[] }) {
  if (path[0] === 'job') return <RecentRuns initialJob={path[1]} />;
  if (path[0]) return <RunPage runId={path[0]} />;
  return <RecentRuns />;
}

const PER_JOB = 25;
const DETAILED = 50;

/** The newest runs of every job, newest first (each job's runs come newest first). */
async function recentRuns() {
  const jobs: any[] = [];
  let token: string | undefined;
  do {
    const page = await api(`/api/v1/jobs?max_results=200${token ? `&page_token=${enc(token)}` : ''}`);
    jobs.push(...page.jobs);
    token = page.next_page_token ?? undefined;
  } while (token && jobs.length < 1000);
  const pages = await Promise.all(jobs.map((j) => api(`/api/v1/jobs/${enc(j.job_name)}/runs?max_results=${PER_JOB}`)));
  const runs = pages.flatMap((p) => p.runs);
  runs.sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''));
  // Inputs and outputs are on the run itself: fetched for the newest runs only.
  await Promise.all(
    runs.slice(0, DETAILED).map(async (r) => {
      const view = await api(`/api/v1/runs/${enc(r.run_id)}`);
      r.inputs = (view.inputs ?? []).map((s: any) => s.table_name);
      r.outputs = (view.outputs ?? []).map((s: any) => s.table_name);
    }),
  );
  return { jobs: jobs.map((j) => j.job_name as string), runs };
}

function RecentRuns({ initialJob = '' }: { initialJob?: string }) {
  const [data, error] = useLoad(recentRuns, []);
  const [state, setState] = useState('');
  const [job, setJob] = useState(initialJob);
  const states = [...new Set((data?.runs ?? []).map((r: any) => r.state))].sort();
  const shown = (data?.runs ?? []).filter((r: any) => (!state || r.state === state) && (!job || r.job_name === job));
  return (
    <section>
      <h1>Runs</h1>
      <div className="inline">
        <select aria-label="state" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">every state</option>
          {states.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="job" value={job} onChange={(e) => setJob(e.target.value)}>
          <option value="">every job</option>
          {data?.jobs.map((j) => (
            <option key={j}>{j}</option>
          ))}
        </select>
      </div>
      <Problem error={error} />
      <Loading what={data} />
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
              <td>{fmtDuration(r.started_at, r.ended_at)}</td>
              <td className="small">
                {r.inputs ? `${r.inputs.join(', ') || '—'} → ${r.outputs.join(', ') || '—'}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
