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

/**
 * The commits a day against what the expectation implies, as chart columns over the same 29 days:
 * x, commits, the usual count (a day of the usual interval between commits) and the fewest a day
 * can hold without a silence longer than allowed. Without an expectation the two lines are absent
 * (null): there is nothing to compare with.
 */
export function cadenceSeries(
  volume: { days?: { day: string; rows_added: number; commits: number }[] } | undefined,
  evaluatedAt: string,
  freshness: { usual_interval_seconds?: number | null; allowed_silence_seconds?: number | null } | undefined,
): (number | null)[][] {
  const [xs, , commits] = volumeSeries(volume, evaluatedAt);
  const perDay = (seconds?: number | null) =>
    seconds ? Math.round((86_400 / seconds) * 10) / 10 : null;
  const usual = perDay(freshness?.usual_interval_seconds);
  const fewest = freshness?.allowed_silence_seconds ? Math.ceil(86_400 / freshness.allowed_silence_seconds) : null;
  return [xs, commits, xs.map(() => usual), xs.map(() => fewest)];
}
