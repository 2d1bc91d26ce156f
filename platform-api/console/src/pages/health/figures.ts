/** Seconds as people read them: 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
export function fmtSeconds(s?: number | null): string {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * The daily volume as chart columns over the 29 days up to {@code evaluatedAt}'s (UTC), days without
 * data commits at zero: x = the day's start (epoch seconds), rows added, commits.
 */
export function volumeSeries(
  volume: { days?: { day: string; rows_added: number; commits: number }[] } | undefined,
  evaluatedAt: string,
): number[][] {
  const byDay = new Map((volume?.days ?? []).map((d) => [d.day, d]));
  const end = Date.parse(evaluatedAt.slice(0, 10) + 'T00:00:00Z');
  const xs: number[] = [];
  const rows: number[] = [];
  const commits: number[] = [];
  for (let i = 28; i >= 0; i--) {
    const t = end - i * 86_400_000;
    const d = byDay.get(new Date(t).toISOString().slice(0, 10));
    xs.push(t / 1000);
    rows.push(d?.rows_added ?? 0);
    commits.push(d?.commits ?? 0);
  }
  return [xs, rows, commits];
}
