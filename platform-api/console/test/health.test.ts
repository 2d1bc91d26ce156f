import { describe, expect, it } from 'vitest';
import { fmtSeconds, volumeSeries } from '../src/pages/health/figures';

describe('health figures', () => {
  it('says durations as people read them', () => {
    expect(fmtSeconds(45)).toBe('45 s');
    expect(fmtSeconds(4560)).toBe('1 h 16 min');
    expect(fmtSeconds(3600)).toBe('1 h');
    expect(fmtSeconds(49 * 3600)).toBe('2 d 1 h');
    expect(fmtSeconds(null)).toBe('—');
  });

  it('turns daily volume into chart columns', () => {
    const series = volumeSeries({
      days: [
        { day: '2026-01-06', rows_added: 2400, commits: 24 },
        { day: '2026-01-07', rows_added: 100, commits: 1 },
      ],
    });
    expect(series).toEqual([
      [Date.parse('2026-01-06T00:00:00Z') / 1000, Date.parse('2026-01-07T00:00:00Z') / 1000],
      [2400, 100],
      [24, 1],
    ]);
    expect(volumeSeries(undefined)).toEqual([[], [], []]);
  });
});
