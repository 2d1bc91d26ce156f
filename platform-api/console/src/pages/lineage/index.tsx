import dagre from '@dagrejs/dagre';
import { useMemo, useState } from 'react';
import { api, enc } from '../../api';
import { go, href } from '../../router';
import { Loading, Problem, useLoad } from '../../ui';
import { type LatePath, latePath } from './path';

interface Node {
  id: string;
  name: string;
  type: string;
  depth: number;
}
interface Edge {
  from: string;
  to: string;
  type: string;
  provenance?: { run_id?: string; table_version?: number; at?: string }[];
}

const NODE_W = 200;
const NODE_H = 44;

/**
 * A left-to-right DAG (dagre) of tables and jobs around one node; `#/lineage/<node>/late/<path>`
 * draws an incident's path from its late root to the node in red, upstream as far as the root.
 */
export function Lineage({ path }: { path: string[] }) {
  const root = path[0];
  const late = path[1] === 'late' && path[2] ? latePath(path[2]) : null;
  const [depth, setDepth] = useState(late ? late.steps : 3);
  const [direction, setDirection] = useState(late ? 'upstream' : 'both');
  const [input, setInput] = useState(root ?? '');
  const [graph, error] = useLoad(
    () =>
      root
        ? api(`/api/v1/lineage?node=${enc(root)}&depth=${depth}&direction=${direction}`)
        : Promise.resolve(null),
    [root, depth, direction],
  );
  return (
    <section>
      <h1>Lineage</h1>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (input.trim()) go('lineage', input.trim());
        }}
      >
        <input aria-label="node" placeholder="table:main.sales.orders or job:daily_rollup" value={input} onChange={(e) => setInput(e.target.value)} />
        <button type="submit">Show</button>
        <label>
          direction{' '}
          <select aria-label="direction" value={direction} onChange={(e) => setDirection(e.target.value)}>
            <option value="both">both</option>
            <option value="upstream">upstream</option>
            <option value="downstream">downstream</option>
          </select>
        </label>
        <label>
          depth{' '}
          <select aria-label="depth" value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
            {[1, 2, 3, 4, 5, 8, 10, 20].map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      </form>
      {!root && <p className="muted">Name a table or a job to draw its lineage.</p>}
      <Problem error={error} />
      {root && <Loading what={graph} />}
      {late && (
        <p data-testid="late-path" className="problem">
          Late: {path[2]}
        </p>
      )}
      {graph && (
        <Graph nodes={graph.nodes} edges={graph.edges} root={graph.root} truncated={graph.truncated} late={late} />
      )}
    </section>
  );
}

function pageOf(node: Node) {
  return node.type === 'table' ? href('tables', node.name) : href('runs', 'job', node.name);
}

function Graph({
  nodes,
  edges,
  root,
  truncated,
  late,
}: {
  nodes: Node[];
  edges: Edge[];
  root: string;
  truncated: boolean;
  late: LatePath | null;
}) {
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph();
    g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 110, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(() => ({}));
    nodes.forEach((n) => g.setNode(n.id, { width: NODE_W, height: NODE_H }));
    edges.forEach((e) => g.setEdge(e.from, e.to, { width: 120, height: 18 }));
    dagre.layout(g);
    return g;
  }, [nodes, edges]);
  const size = layout.graph();
  return (
    <>
      {truncated && <p className="muted">The graph was cut at the depth limit.</p>}
      <svg
        className="lineage"
        // Scaled down to the page's width when the chain is long; never scaled up.
        viewBox={`0 0 ${size.width} ${size.height}`}
        width={Math.min(size.width ?? 0, 1340)}
        data-testid="lineage-graph"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" fill="#64748b" />
          </marker>
        </defs>
        {edges.map((e, i) => {
          const pts = layout.edge(e.from, e.to)?.points ?? [];
          const d = pts.map((p: { x: number; y: number }, j: number) => `${j ? 'L' : 'M'}${p.x},${p.y}`).join(' ');
          const mid = pts[Math.floor(pts.length / 2)];
          const last = e.provenance?.[e.provenance.length - 1];
          const label = last
            ? [last.run_id && `run ${last.run_id.slice(0, 8)}`, last.table_version != null && `v${last.table_version}`]
                .filter(Boolean)
                .join(' · ')
            : '';
          return (
            <g
              key={i}
              className={late?.edges.has(`${e.from}->${e.to}`) ? 'edge late' : 'edge'}
              data-edge={`${e.from}->${e.to}`}
            >
              <path d={d} markerEnd="url(#arrow)" />
              {label && mid && (
                <text x={mid.x} y={mid.y - 4} textAnchor="middle">
                  {label}
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n) => {
          const p = layout.node(n.id);
          return (
            <g
              key={n.id}
              className={`node ${n.type} ${n.id === root ? 'root' : ''} ${late?.nodes.has(n.id) ? 'late' : ''}`}
              data-node={n.id}
              transform={`translate(${p.x - NODE_W / 2},${p.y - NODE_H / 2})`}
              onClick={() => go('lineage', n.id)}
            >
              <rect width={NODE_W} height={NODE_H} rx={n.type === 'job' ? 22 : 4} />
              <text x={10} y={18} className="kind">
                {n.type}
              </text>
              <text x={10} y={35}>
                {n.name.length > 28 ? n.name.slice(0, 27) + '…' : n.name}
              </text>
            </g>
          );
        })}
      </svg>
      <h2>Nodes</h2>
      <ul data-testid="lineage-nodes">
        {nodes.map((n) => (
          <li key={n.id}>
            <a href={href('lineage', n.id)}>{n.id}</a> · <a href={pageOf(n)}>{n.type === 'table' ? 'table page' : 'runs'}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
