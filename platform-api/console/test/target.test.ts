import { describe, expect, it } from 'vitest';
import { targetLabel } from '../src/pages/ingest/target';

describe('targetLabel', () => {
  it('names a Delta target by its catalog name and links it', () => {
    expect(targetLabel({ type: 'delta', table: 'lake.raw.clicks', partition_by: ['_ingested_date'] })).toEqual({
      kind: 'delta',
      name: 'lake.raw.clicks',
      table: 'lake.raw.clicks',
      partitionBy: ['_ingested_date'],
    });
  });
  it('joins only the parts a DuckDB target has (no leading dot without a database)', () => {
    expect(targetLabel({ schema: 'shop_stream', table: 'clicks' })).toEqual({
      kind: 'duckdb',
      name: 'shop_stream.clicks',
      partitionBy: [],
    });
    expect(targetLabel({ type: 'duckdb', database: 'wh', schema: 's', table: 't' }).name).toBe('wh.s.t');
    expect(targetLabel({ table: 't' }).name).toBe('t');
  });
  it('shows a dash for no target', () => {
    expect(targetLabel(undefined).name).toBe('—');
  });
});
