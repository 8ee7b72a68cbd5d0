/**
 * The schema a migration runs against, as far as the migrations say: the tables with their columns
 * (type, NOT NULL, default) and primary keys, the indexes with their columns, and the validated
 * `CHECK (col IS NOT NULL)` constraints. Built from the operations of the migrations applied before
 * (the base's migrations of the same folder, then the change's earlier ones); what no migration says
 * is unknown, and the rules treat unknown as they did before (never as safe).
 */
import type { ColumnDef, Op } from './sql/vocabulary.js';

export interface TableSchema {
  columns: Map<string, ColumnDef>;
  primaryKey?: string[];
}

export interface IndexSchema {
  table?: string;
  columns?: string[];
  unique: boolean;
  partial: boolean;
}

export interface Schema {
  tables: Map<string, TableSchema>;
  indexes: Map<string, IndexSchema>;
  /** Check constraints by name: the column they hold non-null, and whether they are validated. */
  checks: Map<string, { table?: string; column: string; valid: boolean }>;
  /** Foreign keys by name (PostgreSQL's default name when unnamed): what they hold and how. */
  foreignKeys: Map<string, ForeignKeySchema>;
}

export interface ForeignKeySchema {
  table: string;
  columns?: string[];
  references?: string;
  refColumns?: string[];
  onUpdate?: string;
  onDelete?: string;
  /** Added without NOT VALID: every row was checked. */
  valid: boolean;
}

/**
 * The name PostgreSQL gives a foreign key added without one: `<table>_<columns joined by _>_fkey`
 * (ChooseConstraintName), when it fits in 63 bytes (longer names are truncated, not modelled here).
 */
export function foreignKeyName(o: Op): string | undefined {
  if (o.name && o.name !== '(unnamed)') return o.name;
  if (!o.columns?.length || !o.table) return undefined;
  const n = `${tableKey(o.table).replace(/^.*\./, '')}_${o.columns.join('_')}_fkey`;
  return n.length <= 63 ? n : undefined;
}

export function emptySchema(): Schema {
  return { tables: new Map(), indexes: new Map(), checks: new Map(), foreignKeys: new Map() };
}

export function cloneSchema(s: Schema): Schema {
  const tables = new Map<string, TableSchema>();
  for (const [k, t] of s.tables) {
    const c: TableSchema = { columns: new Map(t.columns) };
    if (t.primaryKey) c.primaryKey = t.primaryKey;
    tables.set(k, c);
  }
  return { tables, indexes: new Map(s.indexes), checks: new Map(s.checks), foreignKeys: new Map(s.foreignKeys) };
}

/** Unquoted, unqualified when the schema is public: `public.users` and `users` are one table. */
export function tableKey(t: string | undefined): string {
  return (t ?? '?').replace(/^public\./, '');
}

/** Applies one operation to the schema (what the statement did). */
export function applyOp(s: Schema, o: Op): void {
  const key = tableKey(o.table);
  switch (o.kind) {
    case 'create-table': {
      const t: TableSchema = { columns: new Map() };
      for (const d of o.defs ?? []) t.columns.set(d.name, d);
      if (o.primaryKey) t.primaryKey = o.primaryKey;
      s.tables.set(key, t);
      if (o.primaryKey) s.indexes.set(`${key}_pkey`, { table: key, columns: o.primaryKey, unique: true, partial: false });
      return;
    }
    case 'drop-table':
      s.tables.delete(key);
      return;
    case 'rename-table': {
      const t = s.tables.get(key);
      if (t && o.name) {
        s.tables.delete(key);
        s.tables.set(tableKey(o.name), t);
      }
      return;
    }
    case 'add-column':
    case 'add-column-default':
    case 'add-column-volatile-default':
    case 'add-column-required': {
      const t = s.tables.get(key);
      if (t && o.column)
        t.columns.set(o.column, {
          name: o.column,
          type: o.detail ?? '?',
          notNull: o.kind === 'add-column-required',
          hasDefault: o.kind !== 'add-column' && o.kind !== 'add-column-required',
        });
      return;
    }
    case 'drop-column':
      s.tables.get(key)?.columns.delete(o.column ?? '');
      return;
    case 'rename-column': {
      const t = s.tables.get(key);
      const c = t?.columns.get(o.column ?? '');
      if (t && c && o.name) {
        t.columns.delete(o.column!);
        t.columns.set(o.name, { ...c, name: o.name });
      }
      return;
    }
    case 'alter-column-type': {
      const c = s.tables.get(key)?.columns.get(o.column ?? '');
      if (c) {
        const next = { ...c, type: o.detail ?? c.type };
        // MySQL's MODIFY/CHANGE restates the whole column: nullability and default with it.
        if (o.notNull !== undefined) next.notNull = o.notNull;
        if (o.hasDefault !== undefined) next.hasDefault = o.hasDefault;
        s.tables.get(key)!.columns.set(c.name, next);
      }
      return;
    }
    case 'set-not-null':
    case 'drop-not-null':
    case 'drop-default': {
      const c = s.tables.get(key)?.columns.get(o.column ?? '');
      if (c)
        s.tables
          .get(key)!
          .columns.set(
            c.name,
            o.kind === 'drop-default' ? { ...c, hasDefault: false } : { ...c, notNull: o.kind === 'set-not-null' },
          );
      return;
    }
    case 'create-index':
    case 'create-index-concurrently':
      if (o.name)
        s.indexes.set(o.name, {
          table: key,
          ...(o.columns ? { columns: o.columns } : {}),
          unique: !!o.unique,
          partial: o.detail === 'partial',
        });
      return;
    case 'drop-index':
    case 'drop-index-concurrently':
      s.indexes.delete(o.name ?? '');
      return;
    case 'add-constraint':
    case 'add-constraint-not-valid':
      if (o.detail === 'foreign key' && foreignKeyName(o))
        s.foreignKeys.set(foreignKeyName(o)!, {
          table: key,
          ...(o.columns ? { columns: o.columns } : {}),
          ...(o.references ? { references: tableKey(o.references) } : {}),
          ...(o.refColumns ? { refColumns: o.refColumns } : {}),
          ...(o.onUpdate ? { onUpdate: o.onUpdate } : {}),
          ...(o.onDelete ? { onDelete: o.onDelete } : {}),
          valid: o.kind === 'add-constraint',
        });
      if (o.notNullCheck && o.name)
        s.checks.set(o.name, { table: key, column: o.notNullCheck, valid: o.kind === 'add-constraint' });
      if (o.unique && o.name && o.columns) {
        s.indexes.set(o.name, { table: key, columns: o.columns, unique: true, partial: false });
        if (o.detail === 'primary key') {
          const t = s.tables.get(key);
          if (t) t.primaryKey = o.columns;
        }
      }
      return;
    case 'validate-constraint': {
      const c = s.checks.get(o.name ?? '');
      if (c) c.valid = true;
      const fk = s.foreignKeys.get(o.name ?? '');
      if (fk) s.foreignKeys.set(o.name!, { ...fk, valid: true });
      return;
    }
    case 'drop-constraint':
      s.checks.delete(o.name ?? '');
      s.foreignKeys.delete(o.name ?? '');
      s.indexes.delete(o.name ?? '');
      return;
    default:
      return;
  }
}

export function applyOps(s: Schema, ops: readonly Op[]): void {
  for (let i = 0; i < ops.length; i++) applyOp(s, ops[i]!);
}

export function columnOf(s: Schema | undefined, table: string | undefined, column: string | undefined) {
  return s?.tables.get(tableKey(table))?.columns.get(column ?? '');
}

/** A validated `CHECK (column IS NOT NULL)` on the table: SET NOT NULL uses it and skips its scan. */
export function validNotNullCheck(
  s: Schema | undefined,
  table: string | undefined,
  column: string | undefined,
): string | undefined {
  if (!s) return undefined;
  const key = tableKey(table);
  for (const [name, c] of s.checks) if (c.valid && c.table === key && c.column === column) return name;
  return undefined;
}

/**
 * An index that another unique index (or the primary key) on the same leading columns makes
 * redundant: every query it served is served by the other one.
 */
export function redundantIndex(s: Schema | undefined, name: string | undefined): string | undefined {
  if (!s || !name) return undefined;
  const idx = s.indexes.get(name);
  if (!idx?.columns || idx.partial) return undefined;
  for (const [other, o] of s.indexes) {
    if (other === name || o.table !== idx.table || !o.columns || o.partial) continue;
    // Dropping a unique index beside a plain one loses the uniqueness, not the lookups: not redundant.
    if (idx.unique && !o.unique) continue;
    // Same columns, in the same order: the other index answers every lookup this one does.
    if (o.columns.length === idx.columns.length && o.columns.every((c, i) => c === idx.columns![i])) return other;
  }
  return undefined;
}
