// Pure formatting shared by the pages (no React, so Vitest runs it as plain functions).

/** How long from start to end (or to now while still running), in the largest unit that reads well. */
export function fmtDuration(start?: string | null, end?: string | null, now = Date.now()): string {
  if (!start) return '—';
  return fmtMs((end ? Date.parse(end) : now) - Date.parse(start));
}

export function fmtMs(ms?: number | null): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
