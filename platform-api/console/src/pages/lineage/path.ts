/**
 * A lineage path as an incident names it — `raw → job rollup → mid → job daily → gold`, from the
 * late root upstream to an affected table — as the graph's node ids and edges, so the picture can
 * draw it.
 */
export interface LatePath {
  nodes: Set<string>;
  edges: Set<string>;
  /** The graph node the path ends at (the affected table). */
  end: string;
  /** How many steps upstream the root is from the end (the depth to draw). */
  steps: number;
}

const STEP = ' → ';

export function latePath(path: string): LatePath | null {
  const parts = path.split(STEP).map((p) => p.trim());
  if (parts.length < 3 || parts.some((p) => !p)) return null;
  const ids = parts.map((p) => (p.startsWith('job ') ? 'job:' + p.slice(4) : 'table:' + p));
  const edges = new Set<string>();
  for (let i = 1; i < ids.length; i++) edges.add(`${ids[i - 1]}->${ids[i]}`);
  return { nodes: new Set(ids), edges, end: ids[ids.length - 1], steps: ids.length - 1 };
}
