import { describe, expect, it } from 'vitest';
import { cadenceSeries, fmtSeconds, volumeSeries } from '../src/pages/health/figures';

describe('health figures', () => {
  it('says durations as people read them', () => {
    expect(fmtSeconds(45)).toBe('45 s');
    expect(fmtSeconds(4560)).toBe('1 h 16 min');
    expect(fmtSeconds(3600)).toBe('1 h');
    expect(fmtSeconds(49 * 3600)).toBe('2 d 1 h');
    expect(fmtSeconds(null)).toBe('—');
  });

  it('turns daily volume into 29 days of chart columns, quiet days at zero', () => {
    const [xs, rows, commits] = volumeSeries(
      {
        days: [
          { day: '2026-01-06', rows_added: 2400, commits: 24 },
          { day: '2026-01-08', rows_added: 100, commits: 1 },
        ],
      },
      '2026-01-08T10:00:00Z',
    );
    expect(xs).toHaveLength(29);
    expect(xs[28]).toBe(Date.parse('2026-01-08T00:00:00Z') / 1000);
    expect(xs[0]).toBe(Date.parse('2025-12-11T00:00:00Z') / 1000);
    expect(rows.slice(26)).toEqual([2400, 0, 100]);
    expect(commits.slice(26)).toEqual([24, 0, 1]);
    expect(volumeSeries(undefined, '2026-01-08T10:00:00Z')[1]).toEqual(new Array(29).fill(0));
  });

  it('draws the commits a day against the usual count and the fewest the allowed silence permits', () => {
    const volume = { days: [{ day: '2026-01-08', rows_added: 100, commits: 3 }] };
    const [xs, commits, usual, fewest] = cadenceSeries(volume, '2026-01-08T10:00:00Z', {
      usual_interval_seconds: 3600,
      allowed_silence_seconds: 4500,
    });
    expect(xs).toHaveLength(29);
    expect(commits[28]).toBe(3);
    expect(usual.every((u) => u === 24)).toBe(true);
    expect(fewest.every((f) => f === 20)).toBe(true);
    const none = cadenceSeries(volume, '2026-01-08T10:00:00Z', { usual_interval_seconds: null, allowed_silence_seconds: null });
    expect(none[2].every((u) => u === null)).toBe(true);
    expect(none[3].every((f) => f === null)).toBe(true);
  });
});

