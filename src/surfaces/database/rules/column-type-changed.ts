import { defineRule } from '../../../core/rule.js';
import { columnOf } from '../schema.js';
import { loc, target, type DbContext } from '../model.js';

/** Target types any source type among the text family converts to without loss. */
const WIDE = /^(text|varchar|character varying)$/;
const INT_RANK: Record<string, number> = { int2: 1, smallint: 1, int4: 2, int: 2, integer: 2, int8: 3, bigint: 3 };

/** A finding's data: the column (`table.column`) and its new type (and old, when the migrations say it). */
export type ColumnTypeChangedData = { target: string; type: string; from?: string };

function parts(t: string): { base: string; n?: number } {
  const m = /^([a-z0-9_ ]+?)\s*(?:\((\d+)(?:,\s*\d+)?\))?$/i.exec(t.trim().toLowerCase());
  if (!m) return { base: t.toLowerCase() };
  const base = m[1]!.replace(/^character varying$/, 'varchar').replace(/^pg_catalog\./, '');
  return m[2] ? { base, n: Number(m[2]) } : { base };
}

/**
 * How PostgreSQL 15 performs `from` → `to` (ATColumnChangeRequiresRewrite, the binary-coercible casts in
 * pg_cast): 'catalog' (no rewrite, no scan), 'widen' (rewrite, every value kept, changing back fails once
 * wider values exist), 'narrow' (rewrite with a check of every value: the ALTER fails rather than losing
 * one), 'index' (text ↔ citext: binary-coercible, but the indexes are rebuilt for the new comparison),
 * 'same', or undefined (unknown).
 */
export function typeChange(from: string, to: string): 'same' | 'catalog' | 'widen' | 'narrow' | 'index' | undefined {
  const a = parts(from);
  const b = parts(to);
  if (a.base === b.base && a.n === b.n) return 'same';
  const textish = (x: { base: string }) => x.base === 'varchar' || x.base === 'text';
  if (textish(a) && textish(b)) {
    if (b.base === 'text' || b.n === undefined) return 'catalog';
    if (a.base === 'varchar' && a.n !== undefined && b.n >= a.n) return 'catalog';
    return 'narrow';
  }
  if ((textish(a) && b.base === 'citext') || (a.base === 'citext' && textish(b))) return 'index';
  if (a.base === 'numeric' && b.base === 'numeric') return 'narrow';
  const ia = INT_RANK[a.base];
  const ib = INT_RANK[b.base];
  if (ia && ib) return ib > ia ? 'widen' : 'narrow';
  if ((a.base === 'timestamp' && b.base === 'timestamptz') || (a.base === 'timestamptz' && b.base === 'timestamp'))
    return 'widen';
  return undefined;
}

/**
 * ALTER COLUMN ... TYPE, by what PostgreSQL really does for the old and new types (when the earlier
 * migrations say the old one): catalog-only, a rewrite that keeps every value, a checked narrowing, an
 * index rebuild, or a conversion with USING.
 */
export default defineRule<
  DbContext,
  'safe' | 'catalogOnly' | 'widened' | 'narrowed' | 'indexRebuild' | 'rewrite' | 'using',
  ColumnTypeChangedData
>({
  id: 'column-type-changed',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  severity: 'warning',
  docs: {
    summary: 'A column changes type.',
    rationale:
      "PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock unless the old type is binary-coercible to the new one. Checked per kind of change (PostgreSQL 15, ALTER TABLE notes): varchar(n) to a longer varchar or to text is catalog-only (no rewrite, no scan) and the old version's values still fit: fully-reversible. A narrowing (varchar(200) to varchar(50), bigint to integer) rewrites and checks every value: the ALTER fails rather than losing one, but the running version's longer values now fail until the column is widened back: a compatibility window. A widening that is not binary-coercible (integer to bigint) rewrites the table and keeps every value; changing it back fails once a wider value is written: a compatibility window. text to citext is binary-coercible but every index on the column is rebuilt (new comparison semantics) under the lock, and a unique index may now reject values that differ only in case. A USING expression converts the values, and converting them back cannot recover what was lost. When the earlier migrations do not say the old type, the change is held at manual repair.",
    fix: 'Add a column of the new type (expand), write both and backfill, switch reads, drop the old column later (contract).',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      'https://www.postgresql.org/docs/15/citext.html',
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
    catalogOnly: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): catalog-only, no rewrite or scan, and every value the running version writes still fits',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: ['data-expand'] },
    },
    widened: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): rewrites the table under an ACCESS EXCLUSIVE lock and keeps every value; changing it back fails once a value beyond {{from}} is written',
      class: 'reversible-with-compatibility-window',
    },
    narrowed: {
      text: "ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): rewrites the table under an ACCESS EXCLUSIVE lock and fails rather than cut a value; the running version's values beyond {{type}} now fail until it is widened back",
      class: 'reversible-with-compatibility-window',
    },
    indexRebuild: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): no table rewrite, but every index on the column is rebuilt under an ACCESS EXCLUSIVE lock, and comparisons (and unique indexes) change case sensitivity',
      class: 'reversible-with-compatibility-window',
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
        const at = loc(m.file.path, o);
        const type = o.detail ?? '?';
        const data = { target: target(o), type };
        if (o.name === 'USING') {
          report('using', data, at);
          continue;
        }
        // The old type: set earlier in this file (a column added then altered), else by the earlier migrations.
        let from: string | undefined;
        for (let k = j - 1; k >= 0 && from === undefined; k--) {
          const p = ops[k]!;
          if (p.table === o.table && p.column === o.column && (p.kind.startsWith('add-column') || p.kind === 'alter-column-type'))
            from = p.detail;
        }
        from ??= columnOf(m.before, o.table, o.column)?.type;
        const how = from ? typeChange(from, type) : undefined;
        if (how === 'same') continue;
        if (how === 'catalog') report('catalogOnly', { ...data, from: from! }, at);
        else if (how === 'widen') report('widened', { ...data, from: from! }, at);
        else if (how === 'narrow') report('narrowed', { ...data, from: from! }, at);
        else if (how === 'index') report('indexRebuild', { ...data, from: from! }, at);
        else if (WIDE.test(type) && m.up.dialect === 'postgres') report('safe', data, at);
        else report('rewrite', data, at);
      }
    }
  },
});
