// Per-mapping events/s from the status the Ingest page polls: pure, so it is unit-tested.
import { rate } from '../overview/figures';

/** One mapping's event count (rows + dead letters) at a moment, in ms since the epoch. */
export type Sample = { events: number; at: number };

/** Events a mapping consumed so far: every event becomes a row or a dead letter. */
export function events(status: { rows_ingested?: number | null; rows_dead_lettered?: number | null }): number | null {
  if (status.rows_ingested == null && status.rows_dead_lettered == null) return null;
  return (status.rows_ingested ?? 0) + (status.rows_dead_lettered ?? 0);
}

/**
 * Events/s of each mapping between its previous sample and this one (null for a mapping seen for
 * the first time or without counts), and the samples to keep for the next refresh.
 */
export function mappingRates(
  previous: Map<string, Sample>,
  statuses: { name: string; status: any }[],
  now: number,
): { rates: Map<string, number | null>; samples: Map<string, Sample> } {
  const rates = new Map<string, number | null>();
  const samples = new Map<string, Sample>();
  for (const { name, status } of statuses) {
    const count = events(status);
    const before = previous.get(name);
    rates.set(name, before ? rate(count, before.events, (now - before.at) / 1000) : null);
    if (count != null) samples.set(name, { events: count, at: now });
  }
  return { rates, samples };
}
