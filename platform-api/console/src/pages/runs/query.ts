// The request behind the Runs page: GET /api/v1/runs with its optional filters and page token.

export interface RunsQuery {
  state?: string;
  job?: string;
  pageToken?: string;
  maxResults?: number;
}

export function runsPath(q: RunsQuery = {}): string {
  const params = new URLSearchParams();
  if (q.state) params.set('state', q.state);
  if (q.job) params.set('job', q.job);
  params.set('max_results', String(q.maxResults ?? 50));
  if (q.pageToken) params.set('page_token', q.pageToken);
  return `/api/v1/runs?${params}`;
}

/** "a, b → c": what a run read and wrote, a dash for none. */
export function flow(inputs?: string[] | null, outputs?: string[] | null): string {
  const side = (names?: string[] | null) => (names && names.length ? names.join(', ') : '—');
  return `${side(inputs)} → ${side(outputs)}`;
}

export const RUN_STATES = ['RUNNING', 'COMPLETED', 'FAILED', 'ABANDONED'];
