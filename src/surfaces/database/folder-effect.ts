/**
 * What edits of applied migrations leave different across a whole migration folder. A database that
 * applied every migration of the folder at the base keeps what their old texts left, and then runs only
 * the migrations whose ids it has not recorded; a new database runs the folder at head. The edit leaves
 * the environments apart only where those two end states differ: statements moved between migrations,
 * later migrations folded into an applied one, or an index created and dropped again removed from both
 * migrations leave the same schema everywhere.
 */
import { factsOf, NOT_SCHEMA, type SchemaEdit } from './edit-effect.js';
import { HARMLESS } from './history.js';
import { tableKey } from './schema.js';
import { statementKey } from './statement-key.js';
import type { Op, ParsedSql, Statement } from './sql/vocabulary.js';

/** What a run of migrations left of one object: its description and the migration that last made it so. */
interface Held {
  fact: string;
  from: string;
  /** Gone: dropped (after the run created it, or an object from outside the folder). */
  gone?: 'created' | 'outside';
  /** A column: its type and nullability, to follow later ALTERs. */
  column?: Column;
  /** An index: its table and columns, which renames and drops follow. */
  index?: { name: string; table: string; columns?: string[]; unique: boolean };
}

const lower = (s: string) => s.toLowerCase();

interface Column {
  table: string;
  name: string;
  type: string;
  notNull: boolean;
  /** Whether it has a default (its value is not compared): a row inserted without it gets one or NULL. */
  dflt: boolean;
}
const SET_DEFAULT = /^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)\s+ALTER\s+(?:COLUMN\s+)?("[^"]+"|[\w$]+)\s+SET\s+DEFAULT\s/i;

const RENAME_INDEX = /^\s*ALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)\s+RENAME\s+TO\s+("[^"]+"|[\w$]+)\s*;?\s*$/i;
/** A name as PostgreSQL reads it: quoted as written, unquoted folded to lower case; without the public schema. */
const ident = (n: string) =>
  (n.match(/"[^"]+"|[^."]+/g) ?? [])
    .map((p) => (p.startsWith('"') ? p.slice(1, -1) : p.toLowerCase()))
    .filter((p, i, all) => !(i === 0 && all.length > 1 && p === 'public'))
    .join('.');

/**
 * A column type as the database holds its values. PostgreSQL stores timestamps and times in microseconds:
 * `timestamp(6)` keeps every value `timestamp` (no precision given, no rounding) keeps, and the parser
 * already reads `integer`/`int4`, `character varying`/`varchar` as one name.
 */
export function valueType(type: string, dialect: ParsedSql['dialect']): string {
  return dialect === 'postgres' ? type.replace(/^(timestamptz|timestamp|timetz|time)\(6\)$/, '$1') : type;
}

/** The schema a run of migrations leaves, object by object (as far as the statements' operations say). */
export class EndState {
  constructor(private readonly dialect: ParsedSql['dialect'] = 'postgres') {}
  readonly held = new Map<string, Held>();
  /** The primary key of each table, by its columns. */
  readonly primaryKeys = new Map<string, string[]>();
  /** Operations not followed object by object: compared as a multiset of their facts. */
  readonly other = new Map<string, string[]>();
  /**
   * Statements without an operation of the vocabulary that may change the database (a CALL, a CREATE
   * EXTENSION, a DO block's work): what they do is not known, so they compare by their text, with the
   * migrations that hold them.
   */
  readonly unseen = new Map<string, string[]>();

  run(path: string, statements: readonly Statement[]): void {
    for (const st of statements) {
      if (st.ops.length === 0 && !this.renameIndex(path, st.text) && !this.setDefault(path, st.text))
        if (!HARMLESS.test(st.text) || /^\s*CREATE\s+EXTENSION\b/i.test(st.text)) {
          const k = statementKey(st.text, 'postgres');
          this.unseen.set(k, [...(this.unseen.get(k) ?? []), path]);
        }
      for (const o of st.ops) this.apply(path, o);
    }
  }

  /** `ALTER TABLE t ALTER COLUMN c SET DEFAULT ...` (no operation of the vocabulary). */
  private setDefault(path: string, text: string): boolean {
    const m = SET_DEFAULT.exec(text);
    const c = m ? this.held.get(`c:${lower(ident(m[1]!))}.${lower(ident(m[2]!))}`) : undefined;
    if (c?.column && !c.gone) this.column(path, { ...c.column, dflt: true });
    return !!m;
  }

  /** `ALTER INDEX a RENAME TO b` (no operation of the vocabulary): the index keeps its table and columns. */
  private renameIndex(path: string, text: string): boolean {
    const m = RENAME_INDEX.exec(text);
    if (!m) return false;
    const [from, to] = [ident(m[1]!), ident(m[2]!)];
    const h = this.held.get(`i:${lower(from)}`);
    this.drop(`i:${lower(from)}`, path, `index ${from} renamed to ${to}`);
    if (h?.index && !h.gone) this.index(path, to, h.index.table, h.index.columns, h.index.unique);
    else this.set(`i:${lower(to)}`, { fact: `index ${from} renamed to ${to}`, from: path });
    return true;
  }

  private set(key: string, h: Held): void {
    this.held.set(key, h);
  }

  private drop(key: string, path: string, fact: string): void {
    const was = this.held.get(key);
    this.held.set(key, { fact, from: path, gone: !was || was.gone === 'outside' ? 'outside' : 'created' });
  }

  private column(path: string, col: Column): void {
    const c = { ...col, type: valueType(col.type, this.dialect) };
    const fact = `${c.table}.${c.name} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.dflt ? ' with a default' : ''}`;
    this.set(`c:${lower(c.table)}.${lower(c.name)}`, { fact, from: path, column: c });
  }

  private index(path: string, name: string, table: string, columns: string[] | undefined, unique: boolean): void {
    const fact = `${unique ? 'unique ' : ''}index ${name} on ${table} (${(columns ?? []).join(', ')})`;
    this.set(`i:${lower(name)}`, { fact, from: path, index: { name, table, ...(columns ? { columns } : {}), unique } });
  }

  /** The keys the run holds about a table: its columns, constraints and indexes. */
  private partsOf(t: string): string[] {
    const prefix = [`c:${lower(t)}.`, `k:${lower(t)}#`];
    const out: string[] = [];
    for (const [k, h] of this.held)
      if (!h.gone && (prefix.some((p) => k.startsWith(p)) || (h.index && lower(h.index.table) === lower(t)))) out.push(k);
    return out;
  }

  apply(path: string, o: Op): void {
    if (NOT_SCHEMA.has(o.kind)) return;
    const t = tableKey(o.table);
    const fact = () => factsOf(o).map((f) => f.fact).join('; ');
    switch (o.kind) {
      case 'create-table': {
        for (const k of this.partsOf(t)) this.drop(k, path, `${k} dropped`);
        this.set(`t:${lower(t)}`, { fact: `table ${t}`, from: path });
        const pk = new Set(o.primaryKey ?? []);
        // PostgreSQL makes the columns of a primary key NOT NULL.
        for (const d of o.defs ?? [])
          this.column(path, { table: t, name: d.name, type: d.type, notNull: d.notNull || pk.has(d.name), dflt: d.hasDefault });
        if (o.primaryKey) this.primaryKeys.set(lower(t), o.primaryKey);
        // A UNIQUE constraint is backed by a unique index of its name; PostgreSQL names an unnamed one
        // <table>_<columns>_key (ChooseConstraintName).
        for (const u of o.uniques ?? []) {
          const name = u.name ?? `${t.replace(/^.*\./, '')}_${u.columns.join('_')}_key`;
          this.index(path, name, t, u.columns, true);
        }
        for (const x of o.indexes ?? []) this.index(path, x.name, t, x.columns, x.unique);
        return;
      }
      case 'drop-table':
        for (const k of this.partsOf(t)) this.drop(k, path, `${k} dropped`);
        this.primaryKeys.delete(lower(t));
        this.drop(`t:${lower(t)}`, path, fact());
        return;
      case 'rename-table': {
        if (!o.name) break;
        const to = tableKey(o.name);
        for (const k of this.partsOf(t)) {
          const h = this.held.get(k)!;
          this.drop(k, path, `${k} renamed`);
          if (h.column) this.column(path, { ...h.column, table: to });
          else if (h.index) this.index(path, h.index.name, to, h.index.columns, h.index.unique);
          else this.set(k.replace(`k:${lower(t)}#`, `k:${lower(to)}#`), { ...h, from: path });
        }
        const pk = this.primaryKeys.get(lower(t));
        this.primaryKeys.delete(lower(t));
        if (pk) this.primaryKeys.set(lower(to), pk);
        if (this.held.get(`t:${lower(t)}`)?.gone === undefined && this.held.has(`t:${lower(t)}`)) {
          this.drop(`t:${lower(t)}`, path, `${t} renamed`);
          this.set(`t:${lower(to)}`, { fact: `table ${to}`, from: path });
        } else {
          this.drop(`t:${lower(t)}`, path, fact());
          this.set(`t:${lower(to)}`, { fact: fact(), from: path });
        }
        return;
      }
      case 'add-column':
      case 'add-column-default':
      case 'add-column-volatile-default':
      case 'add-column-required':
        if (!o.column) break;
        this.column(path, {
          table: t,
          name: o.column,
          type: o.detail ?? '?',
          notNull: o.kind === 'add-column-required' || !!o.notNull,
          dflt: o.kind === 'add-column-default' || o.kind === 'add-column-volatile-default',
        });
        return;
      case 'drop-column': {
        if (!o.column) break;
        const key = `c:${lower(t)}.${lower(o.column)}`;
        // PostgreSQL drops the indexes that use the column with it.
        for (const [k, h] of this.held)
          if (!h.gone && h.index && lower(h.index.table) === lower(t) && h.index.columns?.some((c) => lower(c) === lower(o.column!)))
            this.drop(k, path, `${k} dropped`);
        this.drop(key, path, fact());
        return;
      }
      case 'rename-column': {
        if (!o.column || !o.name) break;
        const key = `c:${lower(t)}.${lower(o.column)}`;
        const h = this.held.get(key);
        const rename = (cols: string[] | undefined) => cols?.map((c) => (lower(c) === lower(o.column!) ? o.name! : c));
        for (const [k, x] of this.held)
          if (!x.gone && x.index && lower(x.index.table) === lower(t))
            this.index(x.from === path ? path : x.from, x.index.name, x.index.table, rename(x.index.columns), x.index.unique);
        const pk = this.primaryKeys.get(lower(t));
        if (pk) this.primaryKeys.set(lower(t), rename(pk)!);
        this.drop(key, path, fact());
        if (h?.column && !h.gone) this.column(path, { ...h.column, name: o.name });
        else this.set(`c:${lower(t)}.${lower(o.name)}`, { fact: fact(), from: path });
        return;
      }
      case 'alter-column-type':
      case 'set-not-null':
      case 'drop-not-null':
      case 'drop-default': {
        if (!o.column) break;
        const key = `c:${lower(t)}.${lower(o.column)}`;
        const c = this.held.get(key);
        if (c?.column && !c.gone) {
          const type = o.kind === 'alter-column-type' ? (o.detail ?? c.column.type) : c.column.type;
          const notNull =
            o.kind === 'set-not-null' ? true : o.kind === 'drop-not-null' ? false : (o.notNull ?? c.column.notNull);
          const dflt = o.kind === 'drop-default' ? false : (o.hasDefault ?? c.column.dflt);
          this.column(path, { ...c.column, type, notNull, dflt });
        } else this.set(`${key}:${o.kind === 'alter-column-type' ? 'type' : o.kind === 'drop-default' ? 'default' : 'null'}`, { fact: fact(), from: path });
        return;
      }
      case 'create-index':
      case 'create-index-concurrently':
        if (!o.name) break;
        this.index(path, o.name, t, o.columns, !!o.unique);
        return;
      case 'drop-index':
      case 'drop-index-concurrently':
        if (!o.name) break;
        this.drop(`i:${lower(o.name.replace(/^public\./, ''))}`, path, fact());
        return;
      case 'add-constraint':
      case 'add-constraint-not-valid': {
        if (!o.name || o.name === '(unnamed)') break;
        if (o.detail === 'primary key' && o.columns) this.primaryKeys.set(lower(t), o.columns);
        // A unique or primary key constraint is backed by an index of its name.
        if (o.unique && o.columns) this.index(path, o.name, t, o.columns, true);
        this.set(`k:${lower(t)}#${lower(o.name)}`, { fact: fact(), from: path });
        return;
      }
      case 'validate-constraint': {
        const k = `k:${lower(t)}#${lower(o.name ?? '')}`;
        const h = this.held.get(k);
        if (h && !h.gone) this.set(k, { ...h, fact: h.fact.replace('add constraint not valid', 'add constraint'), from: path });
        else break;
        return;
      }
      case 'drop-constraint': {
        if (!o.name) break;
        const n = lower(o.name);
        this.drop(`k:${lower(t)}#${n}`, path, fact());
        if (this.held.has(`i:${n}`)) this.drop(`i:${n}`, path, fact());
        if (n === `${lower(t).replace(/^.*\./, '')}_pkey`) this.primaryKeys.delete(lower(t));
        return;
      }
      case 'create-type':
      case 'create-view':
      case 'create-function':
      case 'enum-add-value':
        this.set(objectKey(o), { fact: fact(), from: path });
        return;
      case 'drop-type':
      case 'drop-view':
        this.drop(objectKey(o), path, fact());
        return;
      default:
        break;
    }
    for (const f of factsOf(o)) this.other.set(f.fact, [...(this.other.get(f.fact) ?? []), path]);
  }
}

function objectKey(o: Op): string {
  const name = lower((o.kind.endsWith('view') ? (o.table ?? o.name) : (o.name ?? o.table)) ?? '?').replace(/^public\./, '');
  if (o.kind === 'enum-add-value') return `e:${name}=${o.detail ?? ''}`;
  return `${o.kind.endsWith('view') || o.kind === 'create-function' ? 'v' : 'y'}:${name}`;
}

/** One object the two end states leave differently: as the applied databases have it, and as a new one gets it. */
export interface FolderDifference {
  key: string;
  /** What databases that applied the old texts keep (undefined: they lack it). */
  applied?: string;
  /** What a new database gets (undefined: it lacks it). */
  fresh?: string;
  /** The migrations that left it so on either side. */
  from: string[];
  /** A unique index on exactly its table's primary key columns: it changes no query's result and no row a table accepts. */
  redundant?: string;
}

const present = (h: Held | undefined) => (h && !h.gone ? h.fact : undefined);

/** Whether the two runs leave the object the same: both lack it (never made, or dropped), or both hold the same. */
function same(a: Held | undefined, b: Held | undefined): boolean {
  const absent = (h: Held | undefined) => !h || h.gone === 'created';
  if (a?.gone && b?.gone) return true;
  if (absent(a) && absent(b)) return true;
  return !!a && !!b && !a.gone && !b.gone && a.fact === b.fact;
}

/** The objects that `applied` (the old texts, then the new migrations) and `fresh` (the head folder) leave differently. */
export function compareEndStates(applied: EndState, fresh: EndState): FolderDifference[] {
  const out: FolderDifference[] = [];
  for (const key of new Set([...applied.held.keys(), ...fresh.held.keys()])) {
    const a = applied.held.get(key);
    const b = fresh.held.get(key);
    if (same(a, b)) continue;
    const d: FolderDifference = { key, from: [...new Set([a?.from, b?.from].filter((x): x is string => !!x))] };
    const fa = present(a) ?? (a?.gone === 'outside' ? a.fact : undefined);
    const fb = present(b) ?? (b?.gone === 'outside' ? b.fact : undefined);
    if (fa !== undefined) d.applied = fa;
    if (fb !== undefined) d.fresh = fb;
    const idx = (a && !a.gone ? a : b && !b.gone ? b : undefined)?.index;
    const state = a && !a.gone ? applied : fresh;
    const pk = idx ? state.primaryKeys.get(lower(idx.table)) : undefined;
    if (idx?.unique && pk && idx.columns && idx.columns.length === pk.length && idx.columns.every((c, i) => lower(c) === lower(pk[i]!)))
      d.redundant = `unique index ${idx.name} on ${idx.table} (${idx.columns.join(', ')}) duplicates its primary key`;
    out.push(d);
  }
  const left = new Map<string, string[]>();
  for (const [f, paths] of applied.other) left.set(f, paths.slice());
  for (const [f, paths] of fresh.other)
    for (const p of paths) {
      const l = left.get(f);
      if (l && l.length > 0) l.shift();
      else out.push({ key: `o:${f}`, fresh: f, from: [p] });
    }
  for (const [f, paths] of left) for (const p of paths) out.push({ key: `o:${f}`, applied: f, from: [p] });
  return out;
}

/** The differences as the edit finding words them (what the applied databases keep, what a new one gets). */
export function asSchemaEdit(diffs: readonly FolderDifference[]): SchemaEdit | undefined {
  if (diffs.length === 0) return undefined;
  return {
    old: diffs.flatMap((d) => (d.applied !== undefined ? [d.applied] : [])),
    new: diffs.flatMap((d) => (d.fresh !== undefined ? [d.fresh] : [])),
  };
}

/** The migrations holding statements of unknown effect that one run has and the other has not (by text). */
export function unseenApart(applied: EndState, fresh: EndState): Set<string> {
  const out = new Set<string>();
  for (const k of new Set([...applied.unseen.keys(), ...fresh.unseen.keys()])) {
    const a = applied.unseen.get(k) ?? [];
    const b = fresh.unseen.get(k) ?? [];
    if (a.length !== b.length) for (const p of [...a, ...b]) out.add(p);
  }
  return out;
}
