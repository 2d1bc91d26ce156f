import { describe, expect, it } from 'vitest';
import { flow, runsPath } from '../src/pages/runs/query';

describe('runsPath', () => {
  it('asks for a page of recent runs without filters', () => {
    expect(runsPath()).toBe('/api/v1/runs?max_results=50');
  });
  it('passes the filters and the page token, encoded', () => {
    expect(runsPath({ state: 'FAILED', job: 'load a&b', pageToken: 'x.y=', maxResults: 10 })).toBe(
      '/api/v1/runs?state=FAILED&job=load+a%26b&max_results=10&page_token=x.y%3D',
    );
  });
});

describe('flow', () => {
  it('reads inputs → outputs, a dash for a side with none', () => {
    expect(flow(['a', 'b'], ['c'])).toBe('a, b → c');
    expect(flow([], ['c'])).toBe('— → c');
    expect(flow(undefined, undefined)).toBe('— → —');
  });
});
