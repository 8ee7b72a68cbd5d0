import { defineRule } from '../../../core/rule.js';
import { columnOf } from '../schema.js';
import { loc, NEW_DATABASE_ONLY, saidNewDatabaseOnly, target, type DbContext } from '../model.js';

/** Target types any source type among the text family converts to without loss. */
const WIDE = /^(text|varchar|character varying)$/;
const INT_RANK: Record<string, number> = { int2: 1, smallint: 1, int4: 2, int: 2, integer: 2, int8: 3, bigint: 3 };

/** A finding's data: the column (`table.column`) and its new type (and old, when the migrations say it). */
export type ColumnTypeChangedData = { target?: string; type?: string; from?: string; keeps?: string; width?: string; what?: string; table?: string; line?: string };

type TypeParts = { base: string; n?: number; s?: number; unsigned?: boolean };

/**
 * The serial pseudo-types are no types of their own: PostgreSQL creates an integer column of that width
 * whose default takes the next value of a new sequence of the same width (`serial` = int4 + an int4
 * sequence). Read as the column type they create.
 */
const SERIAL: Record<string, string> = {
  smallserial: 'int2',
  serial2: 'int2',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
};

/** Whether a written type is a serial pseudo-type (`serial`, `BIGSERIAL`, `serial4`...). */
export function isSerial(t: string): boolean {
  return SERIAL[t.trim().toLowerCase()] !== undefined;
}

function parts(t: string): TypeParts {
  // MySQL's UNSIGNED attribute (`int unsigned`, `decimal(10,2) unsigned`): the same type without negatives.
  const u = /\s+unsigned$/i.exec(t.trim());
  if (u) return { ...parts(t.trim().slice(0, u.index)), unsigned: true };
  const m = /^([a-z0-9_ ]+?)\s*(?:\((\d+)(?:,\s*(\d+))?\))?$/i.exec(t.trim().toLowerCase());
  if (!m) return { base: t.toLowerCase() };
  const written = m[1]!.replace(/^character varying$/, 'varchar').replace(/^pg_catalog\./, '').replace(/^decimal$/, 'numeric');
  const base = SERIAL[written] ?? written;
  if (!m[2]) return { base };
  return { base, n: Number(m[2]), s: m[3] === undefined ? (base === 'numeric' ? 0 : undefined) : Number(m[3]) };
}

/** What a change of numeric precision and scale does to the values it holds (PostgreSQL 15, numeric_support). */
function numericChange(a: TypeParts, b: TypeParts): 'catalog' | 'widen' | 'narrow' | 'round' {
  if (b.n === undefined) return 'catalog'; // unconstrained numeric holds every value
  if (a.n === undefined) return 'round'; // any scale to a fixed one: the extra digits are rounded away
  if (b.s! < a.s!) return 'round';
  if (b.n - b.s! < a.n - a.s!) return 'narrow'; // fewer integer digits: an overflowing value fails the ALTER
  return b.s === a.s ? 'catalog' : 'widen';
}

/**
 * How PostgreSQL 15 performs `from` → `to` (ATColumnChangeRequiresRewrite, the binary-coercible casts in
 * pg_cast): 'catalog' (no rewrite, no scan), 'widen' (rewrite, every value kept, changing back fails once
 * wider values exist), 'narrow' (rewrite with a check of every value: the ALTER fails rather than losing
 * one), 'round' (numeric to a smaller scale: every value is rounded, silently), 'index' (text ↔ citext:
 * binary-coercible, but the indexes are rebuilt for the new comparison), 'json' (text to json or jsonb:
 * every value parsed, the ALTER fails on one that is not JSON), 'same', or undefined (unknown).
 */
export function typeChange(
  from: string,
  to: string,
): 'same' | 'catalog' | 'widen' | 'narrow' | 'round' | 'index' | 'json' | undefined {
  const a = parts(from);
  const b = parts(to);
  if (a.base === b.base && a.n === b.n && a.s === b.s && !a.unsigned === !b.unsigned) return 'same';
  if (!a.unsigned !== !b.unsigned) {
    // Signedness changed at the same width: to UNSIGNED refuses the negative values, from it the values above the
    // signed maximum (MySQL's strict mode fails the ALTER rather than clipping them). To a wider type it is a
    // widening: changing back fails once a value beyond the old range is written (and INT to BIGINT UNSIGNED
    // also refuses negative values, which the ALTER checks).
    const ia = INT_RANK[a.base];
    const ib = INT_RANK[b.base];
    if (!ia || !ib) return undefined;
    return ib > ia ? 'widen' : 'narrow';
  }
  const textish = (x: { base: string }) => x.base === 'varchar' || x.base === 'text';
  if (textish(a) && textish(b)) {
    if (b.base === 'text' || b.n === undefined) return 'catalog';
    if (a.base === 'varchar' && a.n !== undefined && b.n >= a.n) return 'catalog';
    return 'narrow';
  }
  if ((textish(a) && b.base === 'citext') || (a.base === 'citext' && textish(b))) return 'index';
  if (textish(a) && (b.base === 'json' || b.base === 'jsonb')) return 'json';
  if (a.base === 'numeric' && b.base === 'numeric') return numericChange(a, b);
  const ia = INT_RANK[a.base];
  const ib = INT_RANK[b.base];
  if (ia && ib) return ib > ia ? 'widen' : ib < ia ? 'narrow' : 'same'; // int, integer and int4 are one type
  if ((a.base === 'timestamp' && b.base === 'timestamptz') || (a.base === 'timestamptz' && b.base === 'timestamp'))
    return 'widen';
  return undefined;
}

/** What a conversion to JSON keeps: PostgreSQL's json keeps the text, jsonb and MySQL's JSON normalise it. */
function jsonKeeps(type: string, dialect: string): string {
  if (parts(type).base === 'json' && dialect === 'postgres')
    return 'json stores the exact text, so converting back returns every value as it was';
  return 'every JSON value is kept but not its text (whitespace, key order and duplicate keys, the last one winning, are normalised; 1e2 becomes 100), so converting back returns equivalent JSON, not the same text';
}

/**
 * ALTER COLUMN ... TYPE, by what PostgreSQL really does for the old and new types (when the earlier
 * migrations say the old one): catalog-only, a rewrite that keeps every value, a checked narrowing, an
 * index rebuild, or a conversion with USING.
 */
export default defineRule<
  DbContext,
  'safe' | 'newDatabaseOnly' | 'catalogOnly' | 'widened' | 'serialWidened' | 'narrowed' | 'rounded' | 'indexRebuild' | 'toJson' | 'rewrite' | 'using',
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
      "PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE lock unless the old type is binary-coercible to the new one. Checked per kind of change against PostgreSQL 15 itself and its ALTER TABLE notes: varchar(n) to a longer varchar or to text is catalog-only (no rewrite, no scan) and the old version's values still fit: fully-reversible. Without USING, the values are converted as by an assignment cast, and an assignment to varchar(n) raises 'value too long for type character varying(n)' rather than truncating (only an explicit cast such as USING col::varchar(n) truncates), as integer narrowing raises 'integer out of range': so a narrowing (varchar(200) to varchar(50), bigint to integer) that succeeds has lost nothing, and widening it back is exact and always possible: fully-reversible, at warning for the rewrite under the lock and for the running version's longer values, which now fail until the column is widened (MySQL checks the same way in strict SQL mode, its default since 5.7). numeric to a smaller scale is different: every value is rounded without an error (numeric(10,2) to numeric(10,1) turns 1.25 into 1.3), and widening back cannot bring the digits back: non-recoverable. A widening that is not binary-coercible (integer to bigint) rewrites the table and keeps every value; changing it back fails once a wider value is written: a compatibility window. The serial pseudo-types are read as the columns they create (serial an integer, bigserial a bigint, smallserial a smallint, each with a nextval default on a sequence of the same width), so widening a serial column is that widening; its sequence keeps its own type (pg_sequence.seqtypid stays integer and nextval stops at 2147483647) until ALTER SEQUENCE ... AS bigint, checked on PostgreSQL 15. text to citext is binary-coercible but every index on the column is rebuilt (new comparison semantics) under the lock, and a unique index may now reject values that differ only in case. text to json or jsonb (USING col::jsonb, or MySQL's MODIFY ... JSON) parses every value and fails on one that is not JSON, so nothing is lost: json stores the exact text; jsonb (and MySQL's JSON) keeps every JSON value but normalises its text (whitespace, key order, duplicate keys where the last wins, 1e2 stored as 100), so converting back returns equivalent JSON rather than the same text; meanwhile the running version, which writes text, may be refused (there is no implicit cast from text to json): a compatibility window. Any other USING expression computes new values, and converting them back cannot recover what was lost. MySQL's MODIFY and CHANGE restate the column's whole definition: the old type is the column's current one (through a CHANGE that also renames it), a restated type that is the same (INT and INTEGER are one type) changes nothing, and UNSIGNED is part of the type: INT UNSIGNED or INT to BIGINT UNSIGNED or to BIGINT widens (to UNSIGNED the ALTER also checks that no value is negative), INT UNSIGNED to INT or INT to INT UNSIGNED is a checked narrowing (values above the signed maximum, or negative ones, fail the ALTER in strict mode). When the earlier migrations do not say the old type, the change is held at manual repair. In an edited migration that databases already applied, a statement on a table that the same file creates earlier is said at info: a database that applied the old text never runs the file again (Prisma records an applied migration by its folder name in `_prisma_migrations`, and `migrate deploy` applies only the pending ones; golang-migrate, Flyway and dbmate record the version), and a new database runs the statement right after that CREATE TABLE, on an empty table that no running version uses. What the edit leaves different between the two is reported by `database/migration-edited`.",
    fix: 'Add a column of the new type (expand), write both and backfill, switch reads, drop the old column later (contract).',
    references: [
      'https://www.postgresql.org/docs/15/sql-altertable.html#SQL-ALTERTABLE-NOTES',
      'https://www.postgresql.org/docs/15/datatype-character.html',
      'https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-NUMERIC-DECIMAL',
      'https://www.postgresql.org/docs/15/datatype-numeric.html#DATATYPE-SERIAL',
      'https://www.postgresql.org/docs/15/sql-altersequence.html',
      'https://www.postgresql.org/docs/15/datatype-json.html',
      'https://dev.mysql.com/doc/refman/8.4/en/json.html#json-normalization',
      'https://dev.mysql.com/doc/refman/8.4/en/alter-table.html#alter-table-redefine-column',
      'https://dev.mysql.com/doc/refman/8.4/en/integer-types.html',
      'https://www.postgresql.org/docs/15/citext.html',
      'https://squawkhq.com/docs/changing-column-type',
      'https://www.prisma.io/docs/cli/migrate/deploy',
    ],
  },
  messages: {
    newDatabaseOnly: NEW_DATABASE_ONLY,
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
    serialWidened: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}: an {{width}} column with a sequence default): rewrites the table under an ACCESS EXCLUSIVE lock and keeps every value; its sequence stays {{width}} (nextval stops at the {{width}} maximum) until ALTER SEQUENCE ... AS {{type}}; changing the column back fails once a value beyond {{width}} is written',
      class: 'reversible-with-compatibility-window',
    },
    narrowed: {
      text: "ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): rewrites the table under an ACCESS EXCLUSIVE lock and fails rather than cut a value, so a narrowing that succeeds loses nothing and widening back is exact; until then the running version's values beyond {{type}} fail",
      class: 'fully-reversible',
      decision: { effects: ['data-surface'] },
    },
    rounded: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): rewrites the table and rounds every value to the new scale without an error; widening back cannot bring the digits back',
      class: 'non-recoverable-without-restore',
      decision: { effects: ['data-destroyed'] },
    },
    indexRebuild: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): no table rewrite, but every index on the column is rebuilt under an ACCESS EXCLUSIVE lock, and comparisons (and unique indexes) change case sensitivity',
      class: 'reversible-with-compatibility-window',
    },
    toJson: {
      text: 'ALTER COLUMN {{target}} TYPE {{type}} (was {{from}}): rewrites the table under a lock and fails on a value that is not JSON; {{keeps}}; the running version, which writes text, may be refused until the column is converted back',
      class: 'reversible-with-compatibility-window',
      decision: { effects: ['data-surface'] },
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
        if (saidNewDatabaseOnly(m, o, report)) continue;
        const at = loc(m.file.path, o);
        const type = o.detail ?? '?';
        const data = { target: target(o), type };
        if (o.name === 'USING') {
          report('using', data, at);
          continue;
        }
        // The old type: set earlier in this file (a column added then altered), else by the earlier migrations,
        // following the column through the renames of this file (MySQL's CHANGE renames it).
        let from: string | undefined;
        let name = o.column;
        for (let k = j - 1; k >= 0 && from === undefined; k--) {
          const p = ops[k]!;
          if (p.table !== o.table) continue;
          if (p.kind === 'rename-column' && p.name === name) name = p.column;
          else if (p.column === name && (p.kind.startsWith('add-column') || p.kind === 'alter-column-type')) from = p.detail;
        }
        from ??= columnOf(m.before, o.table, name)?.type;
        const how = from ? typeChange(from, type) : undefined;
        // `USING col::type`: an explicit cast, which converts as the ALTER's own assignment cast would, except that
        // it truncates a varchar and rounds a numeric where the assignment would fail: only the JSON parse and the
        // conversions that keep every value are the same as no USING.
        if (o.name === 'CAST' && how !== 'json' && how !== 'same' && how !== 'catalog' && how !== 'widen' && how !== 'index') {
          report('using', data, at);
          continue;
        }
        if (how === 'same') continue;
        if (how === 'catalog') report('catalogOnly', { ...data, from: from! }, at);
        else if (how === 'widen' && isSerial(from!))
          report('serialWidened', { ...data, from: from!, width: parts(from!).base }, at);
        else if (how === 'widen') report('widened', { ...data, from: from! }, at);
        else if (how === 'narrow') report('narrowed', { ...data, from: from! }, at);
        else if (how === 'round') report('rounded', { ...data, from: from! }, at);
        else if (how === 'json') report('toJson', { ...data, from: from!, keeps: jsonKeeps(type, m.up.dialect) }, at);
        else if (how === 'index') report('indexRebuild', { ...data, from: from! }, at);
        else if (WIDE.test(type) && m.up.dialect === 'postgres') report('safe', data, at);
        else report('rewrite', data, at);
      }
    }
  },
});
