/**
 * The schema as pg_catalog describes it (never the migration text): tables, columns with type,
 * nullability and default, constraints, indexes, enums, views, functions and sequences of every
 * user schema. Two snapshots compare key by key.
 */
import type { Db } from './driver.js';

export type Schema = Map<string, string>;

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'`;

export async function snapshot(db: Db): Promise<Schema> {
  const s: Schema = new Map();
  const rels = await db.query<{ ns: string; name: string; kind: string }>(
    `SELECT n.nspname AS ns, c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  );
  const kinds: Record<string, string> = {
    r: 'table',
    p: 'table',
    v: 'view',
    m: 'materialized view',
    S: 'sequence',
    f: 'foreign table',
  };
  for (const r of rels) s.set(`${kinds[r.kind]} ${r.ns}.${r.name}`, 'exists');
  const cols = await db.query<{
    ns: string;
    rel: string;
    col: string;
    type: string;
    notnull: boolean;
    def: string | null;
  }>(
    `SELECT n.nspname AS ns, c.relname AS rel, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE ${USER_NS} AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  for (const c of cols)
    s.set(
      `column ${c.ns}.${c.rel}.${c.col}`,
      `${c.type}${c.notnull ? ' NOT NULL' : ''}${c.def ? ` DEFAULT ${c.def}` : ''}`,
    );
  const cons = await db.query<{ ns: string; rel: string; name: string; def: string }>(
    `SELECT n.nspname AS ns, c.relname AS rel, k.conname AS name, pg_get_constraintdef(k.oid) AS def
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS}`,
  );
  for (const c of cons) s.set(`constraint ${c.ns}.${c.rel}.${c.name}`, c.def);
  const idx = await db.query<{ ns: string; name: string; def: string }>(
    `SELECT n.nspname AS ns, c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS}`,
  );
  for (const i of idx) s.set(`index ${i.ns}.${i.name}`, i.def);
  const enums = await db.query<{ ns: string; name: string; labels: string }>(
    `SELECT n.nspname AS ns, t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_NS}
     GROUP BY n.nspname, t.typname`,
  );
  for (const e of enums) s.set(`enum ${e.ns}.${e.name}`, e.labels);
  const views = await db.query<{ ns: string; name: string; def: string }>(
    `SELECT n.nspname AS ns, c.relname AS name, pg_get_viewdef(c.oid) AS def FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${USER_NS} AND c.relkind IN ('v', 'm')`,
  );
  for (const v of views) s.set(`view definition ${v.ns}.${v.name}`, v.def.replace(/\s+/g, ' ').trim());
  const fns = await db.query<{ ns: string; name: string; args: string; def: string }>(
    `SELECT n.nspname AS ns, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, md5(p.prosrc) AS def
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_NS}`,
  );
  for (const f of fns) s.set(`function ${f.ns}.${f.name}(${f.args})`, f.def);
  return s;
}

export interface SchemaDiff {
  /** Present before, gone after. */
  missing: string[];
  /** Present after only. */
  extra: string[];
  changed: Array<{ key: string; before: string; after: string }>;
}

export function diffSchemas(before: Schema, after: Schema): SchemaDiff {
  const missing = [...before.keys()].filter((k) => !after.has(k)).sort();
  const extra = [...after.keys()].filter((k) => !before.has(k)).sort();
  const changed = [...before.keys()]
    .filter((k) => after.has(k) && after.get(k) !== before.get(k))
    .sort()
    .map((key) => ({ key, before: before.get(key)!, after: after.get(key)! }));
  return { missing, extra, changed };
}

export function isEmptyDiff(d: SchemaDiff): boolean {
  return d.missing.length === 0 && d.extra.length === 0 && d.changed.length === 0;
}

export function describeDiff(d: SchemaDiff, max = 6): string {
  const parts = [
    ...d.extra.map((k) => `${k} still exists`),
    ...d.missing.map((k) => `${k} is missing`),
    ...d.changed.map((c) => `${c.key} is ${c.after} (was ${c.before})`),
  ];
  return parts.length > max ? `${parts.slice(0, max).join('; ')}; and ${parts.length - max} more` : parts.join('; ');
}
