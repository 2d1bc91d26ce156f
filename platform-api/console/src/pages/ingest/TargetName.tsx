import { href } from '../../router';
import { Target, targetLabel } from './target';

/** A mapping's target: a Delta table links to its table page; a DuckDB table is a name. */
export function TargetName({ target }: { target?: Target | null }) {
  const t = targetLabel(target);
  return (
    <span data-target-kind={t.kind}>
      <span className="badge">{t.kind}</span>{' '}
      {t.table ? <a href={href('tables', t.table)}>{t.name}</a> : t.name}
      {t.partitionBy.length > 0 && <span className="muted small"> partitioned by {t.partitionBy.join(', ')}</span>}
    </span>
  );
}
