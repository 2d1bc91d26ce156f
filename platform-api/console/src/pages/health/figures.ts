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

/** The daily volume as chart columns: x = the day's start (epoch seconds), rows added, commits. */
export function volumeSeries(volume?: { days?: { day: string; rows_added: number; commits: number }[] }): number[][] {
  const days = volume?.days ?? [];
  return [
    days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
    days.map((d) => d.rows_added),
    days.map((d) => d.commits),
  ];
}
