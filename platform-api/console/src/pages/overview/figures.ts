// The overview's arithmetic on sampled metrics: pure, so it is unit-tested without a browser.

/** The quantile q of the commits made between two cumulative histogram snapshots, in ms. */
export function quantile(prev: Record<string, number>, next: Record<string, number>, q: number): number | null {
  const bounds = Object.keys(next)
    .map((le) => [le === '+Inf' ? Infinity : Number(le), (next[le] ?? 0) - (prev[le] ?? 0)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const total = bounds.length ? bounds[bounds.length - 1][1] : 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of bounds) {
    if (count >= rank) {
      if (!isFinite(le)) return lower * 1000;
      const inBucket = count - below;
      return (lower + (le - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1)) * 1000;
    }
    lower = le;
    below = count;
  }
  return lower * 1000;
}

/**
 * Per-second rate of a counter between two samples dt seconds apart; null when either sample is
 * missing, 0 when the counter went back (a restarted service starts again from 0).
 */
export function rate(next: number | null | undefined, prev: number | null | undefined, dt: number): number | null {
  if (next == null || prev == null || !(dt > 0)) return null;
  return Math.max(0, (next - prev) / dt);
}

/** Events an ingest worker consumed: every event becomes a row or a dead letter. */
export function ingestEvents(f: { ingest_rows_total?: number | null; ingest_dead_letters_total?: number | null }) {
  if (f.ingest_rows_total == null && f.ingest_dead_letters_total == null) return null;
  return (f.ingest_rows_total ?? 0) + (f.ingest_dead_letters_total ?? 0);
}
