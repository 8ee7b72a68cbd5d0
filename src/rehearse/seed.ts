/**
 * Seeds every user table with a few generated rows that respect NOT NULL, unique keys (values carry
 * the row number), foreign keys (values taken from the referenced table, seeded first) and enums.
 * A row a check constraint refuses is counted, not fatal.
 */
import type { Db } from './driver.js';

export const ROWS_PER_TABLE = 3;

interface Column {
  name: string;
  type: string;
  typtype: string;
  category: string;
  notnull: boolean;
  hasdef: boolean;
  identity: string;
  generated: string;
  maxlen: number | null;
}

export interface SeedResult {
  rows: number;
  tables: number;
  refused: Array<{ table: string; error: string }>;
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

export async function seed(db: Db): Promise<SeedResult> {
  const tables = await db.query<{ oid: number; ns: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS ns, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     ORDER BY 2, 3`,
  );
  const fks = await db.query<{ rel: number; ref: number; cols: string[]; refcols: string[] }>(
    `SELECT k.conrelid::int AS rel, k.confrelid::int AS ref,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY o) AS cols,
            ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY o) AS refcols
     FROM pg_constraint k WHERE k.contype = 'f'`,
  );
  // Referenced tables first; a cycle is broken where it is found (its foreign keys then get NULL).
  const order: typeof tables = [];
  const done = new Set<number>();
  const visiting = new Set<number>();
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const visit = (oid: number) => {
    if (done.has(oid) || visiting.has(oid) || !byOid.has(oid)) return;
    visiting.add(oid);
    for (const f of fks) if (f.rel === oid && f.ref !== oid) visit(f.ref);
    visiting.delete(oid);
    done.add(oid);
    order.push(byOid.get(oid)!);
  };
  for (const t of tables) visit(t.oid);

  const result: SeedResult = { rows: 0, tables: 0, refused: [] };
  for (const t of order) {
    const cols = await db.query<Column>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, ty.typtype::text AS typtype, ty.typcategory::text AS category,
              a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity::text AS identity, a.attgenerated::text AS generated,
              CASE WHEN a.atttypmod > 4 AND ty.typcategory = 'S' THEN a.atttypmod - 4 ELSE NULL END AS maxlen
       FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [t.oid],
    );
    const refs = new Map<string, string[]>();
    for (const f of fks.filter((x) => x.rel === t.oid)) {
      const ref = byOid.get(f.ref);
      if (!ref || f.cols.length !== 1) continue;
      const vals = await db.query<{ v: string }>(
        `SELECT ${q(f.refcols[0]!)}::text AS v FROM ${q(ref.ns)}.${q(ref.name)} WHERE ${q(f.refcols[0]!)} IS NOT NULL ORDER BY 1 LIMIT ${ROWS_PER_TABLE}`,
      );
      refs.set(
        f.cols[0]!,
        vals.map((r) => r.v),
      );
    }
    let inserted = 0;
    for (let i = 0; i < ROWS_PER_TABLE; i++) {
      const names: string[] = [];
      const values: string[] = [];
      for (const c of cols) {
        if (c.generated || c.identity === 'a') continue;
        const ref = refs.get(c.name);
        let v: string | null | undefined;
        if (ref) v = ref.length ? lit(ref[i % ref.length]!) : null;
        else if (c.hasdef || c.identity) continue;
        else v = await valueFor(db, c, i);
        if (v === undefined) continue;
        names.push(q(c.name));
        values.push(v === null ? 'NULL' : `${v}::${c.type}`);
      }
      const sql = names.length
        ? `INSERT INTO ${q(t.ns)}.${q(t.name)} (${names.join(', ')}) VALUES (${values.join(', ')})`
        : `INSERT INTO ${q(t.ns)}.${q(t.name)} DEFAULT VALUES`;
      try {
        await db.exec(sql);
        inserted++;
      } catch (e) {
        result.refused.push({ table: `${t.ns}.${t.name}`, error: (e as Error).message });
      }
    }
    result.rows += inserted;
    if (inserted) result.tables++;
  }
  return result;
}

async function valueFor(db: Db, c: Column, i: number): Promise<string | null | undefined> {
  const n = i + 1;
  if (c.typtype === 'e') {
    const labels = await db.query<{ l: string }>(`SELECT unnest(enum_range(NULL::${c.type}))::text AS l`);
    return labels.length ? lit(labels[i % labels.length]!.l) : null;
  }
  if (c.category === 'A') return lit('{}');
  switch (c.category) {
    case 'N':
      return lit(String(n));
    case 'B':
      return lit(i % 2 === 0 ? 'true' : 'false');
    case 'D':
      return lit(`2024-01-0${n} 00:00:00`);
    case 'S': {
      const s = `r${n}_${c.name}`;
      return lit(c.maxlen ? s.slice(0, c.maxlen).padEnd(Math.min(c.maxlen, 1), 'x') : s);
    }
    case 'T':
      return lit(`${n} hours`);
    case 'I':
      return lit(`10.0.0.${n}`);
  }
  if (c.type === 'uuid') return lit(`00000000-0000-4000-8000-00000000000${n}`);
  if (c.type === 'json' || c.type === 'jsonb') return lit(`{"n": ${n}}`);
  if (c.type === 'bytea') return lit(`\\x0${n}`);
  return c.notnull ? undefined : null;
}
