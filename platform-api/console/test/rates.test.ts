import { describe, expect, it } from 'vitest';
import { events, mappingRates } from '../src/pages/ingest/rates';

describe('events', () => {
  it('counts rows and dead letters, null without either', () => {
    expect(events({ rows_ingested: 20, rows_dead_lettered: 3 })).toBe(23);
    expect(events({ rows_ingested: 20 })).toBe(20);
    expect(events({})).toBeNull();
  });
});

describe('mappingRates', () => {
  it('is null for a mapping seen the first time, then events per second between refreshes', () => {
    const first = mappingRates(new Map(), [{ name: 'orders', status: { rows_ingested: 100, rows_dead_lettered: 0 } }], 10_000);
    expect(first.rates.get('orders')).toBeNull();
    const second = mappingRates(first.samples, [{ name: 'orders', status: { rows_ingested: 150, rows_dead_lettered: 10 } }], 12_000);
    expect(second.rates.get('orders')).toBe(30); // 60 events in 2 s
  });
  it('keeps mappings apart and forgets deleted ones', () => {
    const first = mappingRates(
      new Map(),
      [
        { name: 'a', status: { rows_ingested: 0 } },
        { name: 'b', status: { rows_ingested: 0 } },
      ],
      0,
    );
    const second = mappingRates(first.samples, [{ name: 'b', status: { rows_ingested: 4 } }], 2_000);
    expect(second.rates.get('b')).toBe(2);
    expect(second.samples.has('a')).toBe(false);
  });
  it('is 0 after a worker restart reset its counts, null when the status has none', () => {
    const first = mappingRates(new Map(), [{ name: 'a', status: { rows_ingested: 500 } }], 0);
    expect(mappingRates(first.samples, [{ name: 'a', status: { rows_ingested: 10 } }], 2_000).rates.get('a')).toBe(0);
    expect(mappingRates(first.samples, [{ name: 'a', status: { state: 'UNKNOWN' } }], 2_000).rates.get('a')).toBeNull();
  });
});
