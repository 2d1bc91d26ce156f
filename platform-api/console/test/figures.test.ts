import { describe, expect, it } from 'vitest';
import { ingestEvents, quantile, rate } from '../src/pages/overview/figures';

describe('quantile', () => {
  // cumulative buckets in seconds, as Prometheus exposes them
  const before = { '0.005': 0, '0.01': 0, '0.05': 0, '+Inf': 0 };
  const after = { '0.005': 50, '0.01': 90, '0.05': 100, '+Inf': 100 };

  it('interpolates inside the bucket holding the rank, in ms', () => {
    expect(quantile(before, after, 0.5)).toBeCloseTo(5, 6); // the 50th of 100 is the top of the first bucket
    expect(quantile(before, after, 0.7)).toBeCloseTo(5 + 5 * (20 / 40), 6);
    expect(quantile(before, after, 0.99)).toBeCloseTo(10 + 40 * (9 / 10), 6);
  });
  it('only counts what happened between the samples', () => {
    expect(quantile(after, after, 0.5)).toBeNull();
    const later = { '0.005': 50, '0.01': 90, '0.05': 110, '+Inf': 110 };
    expect(quantile(after, later, 0.5)).toBeCloseTo(10 + 40 * 0.5, 6);
  });
  it('answers the last finite bound when the rank is past it', () => {
    const slow = { '0.005': 0, '0.01': 0, '0.05': 0, '+Inf': 10 };
    expect(quantile(before, slow, 0.99)).toBeCloseTo(50, 6);
  });
});

describe('rate', () => {
  it('is the counter increase per second', () => {
    expect(rate(150, 100, 2)).toBe(25);
  });
  it('is 0 after a counter reset, null without both samples', () => {
    expect(rate(3, 100, 2)).toBe(0);
    expect(rate(undefined, 100, 2)).toBeNull();
    expect(rate(100, null, 2)).toBeNull();
    expect(rate(100, 50, 0)).toBeNull();
  });
});

describe('ingestEvents', () => {
  it('counts rows and dead letters: every event becomes one or the other', () => {
    expect(ingestEvents({ ingest_rows_total: 90, ingest_dead_letters_total: 10 })).toBe(100);
    expect(ingestEvents({ ingest_rows_total: 90 })).toBe(90);
    expect(ingestEvents({})).toBeNull();
  });
});
