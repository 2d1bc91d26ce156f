// How an ingest mapping's target reads: a Delta table of the catalog (linked) or a DuckDB table.

export interface Target {
  type?: string | null;
  database?: string | null;
  schema?: string | null;
  table?: string | null;
  partition_by?: string[] | null;
}

export interface TargetLabel {
  kind: 'delta' | 'duckdb';
  name: string;
  /** The catalog's full name of a Delta target: its table page. */
  table?: string;
  partitionBy: string[];
}

export function targetLabel(t?: Target | null): TargetLabel {
  const partitionBy = t?.partition_by ?? [];
  if (t?.type === 'delta') {
    return { kind: 'delta', name: t.table ?? '—', table: t.table ?? undefined, partitionBy };
  }
  // DuckDB: the database and schema are optional (the warehouse's own, DuckDB's main); no leading dots.
  const name = [t?.database, t?.schema, t?.table].filter((p) => p != null && p !== '').join('.');
  return { kind: 'duckdb', name: name || '—', partitionBy };
}
