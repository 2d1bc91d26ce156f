import { describe, expect, it } from 'vitest';
import { latePath } from '../src/pages/lineage/path';

describe('late path', () => {
  it('turns an incident path into the graph nodes and edges it runs through', () => {
    const p = latePath('lake.s.raw → job rollup → lake.s.mid → job daily → lake.s.gold')!;
    expect([...p.nodes]).toEqual(['table:lake.s.raw', 'job:rollup', 'table:lake.s.mid', 'job:daily', 'table:lake.s.gold']);
    expect([...p.edges]).toEqual([
      'table:lake.s.raw->job:rollup',
      'job:rollup->table:lake.s.mid',
      'table:lake.s.mid->job:daily',
      'job:daily->table:lake.s.gold',
    ]);
    expect(p.end).toBe('table:lake.s.gold');
    expect(p.steps).toBe(4);
  });

  it('keeps a job whose name has colons (an ingest mapping) whole', () => {
    const p = latePath('raw.events.orders → job ingest:orders → lake.s.orders')!;
    expect(p.edges.has('job:ingest:orders->table:lake.s.orders')).toBe(true);
  });

  it('refuses what is not a path', () => {
    expect(latePath('lake.s.raw')).toBeNull();
    expect(latePath('lake.s.raw →  → lake.s.mid')).toBeNull();
  });
});
