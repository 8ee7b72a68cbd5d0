import { defineRule } from '../../../core/rule.js';
import { loc, target, type DbContext } from '../model.js';

/** Target types any source type among the text family converts to without loss. */
const WIDE = /^(text|varchar|character varying|citext)$/;

/** A finding's data: the column (`table.column`) and its new type. */
export type ColumnTypeChangedData = { target: string; type: string };

/**
 * ALTER COLUMN ... TYPE: safe when the new type only widens text (no length limit), a rewrite with
 * an ACCESS EXCLUSIVE lock otherwise, and lossy when a USING expression converts the values.
 */
export default defineRule<DbContext, 'safe' | 'rewrite' | 'using', ColumnTypeChangedData>({
  id: 'column-type-changed',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'warning',
  docs: {
    summary: 'A column changes type.',
    rationale:
      'Changing a column type rewrites the table and its indexes under an ACCESS EXCLUSIVE lock unless the old type is binary-coercible to the new one (varchar(n) to text or to a longer varchar, numeric to numeric with a larger precision and the same scale). Narrowing casts fail on existing values or truncate them; a USING expression converts the values, and converting them back cannot recover what was lost. The old application may also send values the new type rejects.',
    fix: 'Add a column of the new type (expand), write both and backfill, switch reads, drop the old column later (contract).',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      'https://squawkhq.com/docs/changing-column-type',
    ],
  },
  messages: {
    safe: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}}: widening to {{type}} keeps every value (no rewrite from varchar or text)',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: ['data-expand'] },
    },
    rewrite:
      'ALTER COLUMN {{target}} TYPE {{type}}: rewrites the table under an ACCESS EXCLUSIVE lock unless binary-coercible; values the old type allowed may not fit, and the running version may write values the new type rejects',
    using: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} USING ...: every value is converted; converting back cannot recover what the conversion lost',
      class: 'non-recoverable-without-restore',
      decision: { effects: ['data-destroyed'] },
    },
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      const ops = m.upOps;
      for (let j = 0; j < ops.length; j++) {
        const o = ops[j]!;
        if (o.kind !== 'alter-column-type') continue;
        const data = { target: target(o), type: o.detail ?? '?' };
        if (o.name === 'USING') report('using', data, loc(m.file.path, o));
        else if (WIDE.test(o.detail ?? '')) report('safe', data, loc(m.file.path, o));
        else report('rewrite', data, loc(m.file.path, o));
      }
    }
  },
});
