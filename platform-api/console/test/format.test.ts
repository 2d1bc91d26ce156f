import { describe, expect, it } from 'vitest';
import { fmtDuration, fmtMs } from '../src/format';

describe('fmtMs', () => {
  it('picks the unit that reads well', () => {
    expect(fmtMs(0)).toBe('0 ms');
    expect(fmtMs(999)).toBe('999 ms');
    expect(fmtMs(1500)).toBe('1.5 s');
    expect(fmtMs(90_000)).toBe('2 min');
    expect(fmtMs(3 * 3_600_000)).toBe('3.0 h');
  });
  it('shows a dash for nothing', () => {
    expect(fmtMs(null)).toBe('—');
    expect(fmtMs(undefined)).toBe('—');
  });
});

describe('fmtDuration', () => {
  it('measures a finished run from start to end', () => {
    expect(fmtDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:02.500Z')).toBe('2.5 s');
  });
  it('measures a running one up to now', () => {
    expect(fmtDuration('2026-01-01T00:00:00Z', null, Date.parse('2026-01-01T00:00:00.250Z'))).toBe('250 ms');
  });
  it('has nothing to say without a start', () => {
    expect(fmtDuration(undefined)).toBe('—');
  });
});
