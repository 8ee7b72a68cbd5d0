/**
 * Seeds every user table with a few generated rows that respect NOT NULL, unique keys (values carry
 * the row number), foreign keys and enums. Foreign keys, single or multi-column, take whole tuples of
 * existing parent rows (overlapping keys, such as two keys sharing a tenant column, take tuples that
 * agree), and different keys of one row vary independently so composite unique keys stay distinct.
 * Referenced tables are seeded first; a self-reference points each row at the row inserted before it;
 * a cycle between tables is broken at its nullable foreign keys (NULL on insert, filled in once every
 * table of the cycle has rows). A cycle with no nullable key cannot be seeded and is reported as a note,
 * as is a row a check constraint refuses: counted, never fatal.
 */
import { redactSqlError } from '../core/redact.js';
import type { Db } from './driver.js';

export const ROWS_PER_TABLE = 3;
/** Parent tuples a foreign key chooses from. */
const PARENT_SAMPLE = 50;

interface Column {
  rel: number;
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

interface Table {
  oid: number;
  ns: string;
  name: string;
}

interface ForeignKey {
  name: string;
  rel: number;
  ref: number;
  cols: string[];
  refcols: string[];
}

export interface SeedResult {
  rows: number;
  tables: number;
  refused: Array<{ table: string; error: string }>;
  /** Tables that could not be seeded, and why. */
  notes: string[];
}

const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

export async function seed(db: Db): Promise<SeedResult> {
  const tables = await db.query<Table>(
    `SELECT c.oid::int AS oid, n.nspname AS ns, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 2, 3`,
  );
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const fks = (
    await db.query<ForeignKey>(
      `SELECT k.conname AS name, k.conrelid::int AS rel, k.confrelid::int AS ref,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY o) AS cols,
            ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY o) AS refcols
     FROM pg_constraint k WHERE k.contype = 'f' ORDER BY k.conrelid, k.conname`,
    )
  ).filter((f) => byOid.has(f.rel) && byOid.has(f.ref));
  const allCols = tables.length
    ? await db.query<Column>(
        `SELECT a.attrelid::int AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, ty.typtype::text AS typtype,
              ty.typcategory::text AS category, a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity::text AS identity,
              a.attgenerated::text AS generated,
              CASE WHEN a.atttypmod > 4 AND ty.typcategory = 'S' THEN a.atttypmod - 4 ELSE NULL END AS maxlen
       FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
       WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
        [`{${tables.map((t) => t.oid).join(',')}}`],
      )
    : [];
  const colsOf = new Map<number, Column[]>();
  for (const c of allCols) colsOf.set(c.rel, [...(colsOf.get(c.rel) ?? []), c]);
  const nullable = (f: ForeignKey) =>
    f.cols.every((n) => !(colsOf.get(f.rel) ?? []).find((c) => c.name === n)?.notnull);
  const label = (t: Table | undefined) => (t ? `${t.ns}.${t.name}` : '?');
  const edge = (f: ForeignKey) =>
    `${label(byOid.get(f.rel))}(${f.cols.join(', ')}) -> ${label(byOid.get(f.ref))}(${f.refcols.join(', ')})`;

  const result: SeedResult = { rows: 0, tables: 0, refused: [], notes: [] };
  const { order, deferred, unseedable } = plan(tables, fks, nullable);
  for (const [oid, why] of unseedable) result.notes.push(`could not seed table ${label(byOid.get(oid))}: ${why(edge)}`);

  for (const t of order) {
    const cols = colsOf.get(t.oid) ?? [];
    const own = fks.filter((f) => f.rel === t.oid);
    const selfRefs = own.filter((f) => f.ref === t.oid);
    const parents = own.filter((f) => f.ref !== t.oid && !deferred.has(f));
    // Deferred keys (a broken cycle) get NULL now and a parent after every table has rows.
    const nulled = new Set(own.filter((f) => deferred.has(f)).flatMap((f) => f.cols));
    const samples = new Map<ForeignKey, string[][]>();
    let skip: string | undefined;
    for (const f of parents) {
      const s = await sample(db, byOid.get(f.ref)!, f.refcols);
      samples.set(f, s);
      if (s.length === 0 && !nullable(f) && !skip)
        skip = `no row in ${label(byOid.get(f.ref))} to reference (${edge(f)})`;
    }
    for (const f of selfRefs) {
      const generatedByDb = f.refcols.some((n) => {
        const c = cols.find((x) => x.name === n);
        return !c || c.hasdef || c.identity || c.generated;
      });
      if (!nullable(f) && generatedByDb && !skip)
        skip = `cycle via ${edge(f)}: a NOT NULL self-reference to a key the database generates, and no row to point the first one at`;
    }
    if (skip) {
      result.notes.push(`could not seed table ${label(t)}: ${skip}`);
      continue;
    }
    let inserted = 0;
    let previous: Map<ForeignKey, string[]> | undefined;
    for (let i = 0; i < ROWS_PER_TABLE; i++) {
      const values = new Map<string, string | null>();
      // Parent tuples: key k varies with i / (sizes of keys before it), so combinations stay distinct.
      let stride = 1;
      for (const f of parents) {
        const tuples = samples.get(f)!;
        const agree = tuples.filter((tp) =>
          f.cols.every((c, j) => !values.has(c) || values.get(c) === null || values.get(c) === tp[j]),
        );
        if (agree.length === 0) {
          if (f.cols.some((c) => !values.has(c))) for (const c of f.cols) if (!values.has(c)) values.set(c, null);
          continue;
        }
        const tp = agree[Math.floor(i / stride) % agree.length]!;
        stride *= Math.max(agree.length, 1);
        f.cols.forEach((c, j) => {
          if (!values.has(c) || values.get(c) === null) values.set(c, tp[j]!);
        });
      }
      for (const c of nulled) if (!values.has(c)) values.set(c, null);
      // Own generated values.
      const generated = new Map<string, string | null | undefined>();
      for (const c of cols) {
        if (c.generated || c.identity === 'a' || values.has(c.name)) continue;
        if (selfRefs.some((f) => f.cols.includes(c.name))) continue;
        if (c.hasdef || c.identity) continue;
        generated.set(c.name, await valueFor(db, c, i));
      }
      for (const f of selfRefs) {
        const prev = previous?.get(f);
        if (prev) f.cols.forEach((c, j) => values.set(c, prev[j]!));
        else if (nullable(f)) for (const c of f.cols) values.set(c, null);
        else
          f.cols.forEach((c, j) => {
            // The first row points at itself: its key is one this seed generates.
            const v = generated.get(f.refcols[j]!);
            values.set(c, v === undefined || v === null ? null : unlit(v));
          });
      }
      const names: string[] = [];
      const exprs: string[] = [];
      for (const c of cols) {
        if (c.generated || c.identity === 'a') continue;
        let v: string | null | undefined;
        if (values.has(c.name)) {
          const x = values.get(c.name)!;
          v = x === null ? null : lit(x);
        } else if (generated.has(c.name)) v = generated.get(c.name);
        else continue;
        if (v === undefined) continue;
        names.push(q(c.name));
        exprs.push(v === null ? 'NULL' : `${v}::${c.type}`);
      }
      const returning = selfRefs.length
        ? ` RETURNING ${selfRefs.flatMap((f) => f.refcols.map((c, j) => `${q(c)}::text AS ${q(`${selfRefs.indexOf(f)}_${j}`)}`)).join(', ')}`
        : '';
      const sql = names.length
        ? `INSERT INTO ${q(t.ns)}.${q(t.name)} (${names.join(', ')}) VALUES (${exprs.join(', ')})${returning}`
        : `INSERT INTO ${q(t.ns)}.${q(t.name)} DEFAULT VALUES${returning}`;
      try {
        if (selfRefs.length) {
          const row = (await db.query<Record<string, string | null>>(sql))[0] ?? {};
          previous = new Map();
          selfRefs.forEach((f, k) => {
            const tp = f.refcols.map((_, j) => row[`${k}_${j}`]);
            if (tp.every((v) => v !== null && v !== undefined)) previous!.set(f, tp as string[]);
          });
        } else await db.exec(sql);
        inserted++;
      } catch (e) {
        result.refused.push({ table: label(t), error: redactSqlError((e as Error).message) });
      }
    }
    result.rows += inserted;
    if (inserted) result.tables++;
  }

  // Close the broken cycles: point each row's deferred key at a parent row, now that every table has rows.
  for (const f of deferred) {
    const t = byOid.get(f.rel)!;
    const tuples = await sample(db, byOid.get(f.ref)!, f.refcols);
    if (tuples.length === 0) continue;
    const rows = await db.query<{ id: string }>(`SELECT ctid::text AS id FROM ${q(t.ns)}.${q(t.name)} ORDER BY ctid`);
    const types = (colsOf.get(f.rel) ?? []).filter((c) => f.cols.includes(c.name));
    for (const [i, r] of rows.entries()) {
      const tp = tuples[i % tuples.length]!;
      const set = f.cols
        .map((c, j) => `${q(c)} = ${lit(tp[j]!)}::${types.find((x) => x.name === c)?.type ?? 'text'}`)
        .join(', ');
      try {
        await db.exec(`UPDATE ${q(t.ns)}.${q(t.name)} SET ${set} WHERE ctid = ${lit(r.id)}::tid`);
      } catch (e) {
        result.refused.push({ table: label(t), error: `${f.name}: ${redactSqlError((e as Error).message)}` });
      }
    }
  }
  return result;
}

/** Up to PARENT_SAMPLE tuples of the referenced columns, none of them NULL, as text. */
async function sample(db: Db, t: Table, refcols: string[]): Promise<string[][]> {
  const sel = refcols.map((c, j) => `${q(c)}::text AS ${q(`c${j}`)}`).join(', ');
  const where = refcols.map((c) => `${q(c)} IS NOT NULL`).join(' AND ');
  const rows = await db.query<Record<string, string>>(
    `SELECT DISTINCT ${sel} FROM ${q(t.ns)}.${q(t.name)} WHERE ${where} ORDER BY ${refcols.map((_, j) => j + 1).join(', ')} LIMIT ${PARENT_SAMPLE}`,
  );
  return rows.map((r) => refcols.map((_, j) => r[`c${j}`]!));
}

function unlit(v: string): string {
  return v.slice(1, -1).replace(/''/g, "'");
}

/**
 * Seeding order: referenced tables first (strongly connected components, Tarjan). Inside a cycle the
 * nullable foreign keys are deferred; what still cycles cannot be seeded, and neither can a table whose
 * NOT NULL key references it (reported when its parent sample comes back empty).
 */
function plan(
  tables: Table[],
  fks: ForeignKey[],
  nullable: (f: ForeignKey) => boolean,
): {
  order: Table[];
  deferred: Set<ForeignKey>;
  unseedable: Map<number, (edge: (f: ForeignKey) => string) => string>;
} {
  const out = new Map<number, ForeignKey[]>();
  for (const f of fks) if (f.rel !== f.ref) out.set(f.rel, [...(out.get(f.rel) ?? []), f]);
  const sccs = tarjan(
    tables.map((t) => t.oid),
    (v) => (out.get(v) ?? []).map((f) => f.ref),
  );
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const order: Table[] = [];
  const deferred = new Set<ForeignKey>();
  const unseedable = new Map<number, (edge: (f: ForeignKey) => string) => string>();
  for (const scc of sccs) {
    if (scc.length === 1) {
      order.push(byOid.get(scc[0]!)!);
      continue;
    }
    const members = new Set(scc);
    const inner = fks.filter((f) => f.rel !== f.ref && members.has(f.rel) && members.has(f.ref));
    for (const f of inner) if (nullable(f)) deferred.add(f);
    const hard = inner.filter((f) => !deferred.has(f));
    // Order the component by its remaining (NOT NULL) keys; what still cycles is unseedable.
    const sub = tarjan(
      [...scc].sort((a, b) => a - b),
      (v) => hard.filter((f) => f.rel === v).map((f) => f.ref),
    );
    for (const part of sub) {
      if (part.length === 1) {
        order.push(byOid.get(part[0]!)!);
        continue;
      }
      const cycle = cycleThrough(
        part,
        hard.filter((f) => part.includes(f.rel) && part.includes(f.ref)),
      );
      for (const v of part)
        unseedable.set(
          v,
          (edge) => `cycle via ${cycle.map(edge).join(', ')} (no nullable foreign key to break it; rows not inserted)`,
        );
    }
  }
  return { order, deferred, unseedable };
}

/** Strongly connected components, each emitted after those it reaches (parents before children). */
function tarjan(nodes: number[], next: (v: number) => number[]): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const stack: number[] = [];
  const on = new Set<number>();
  const out: number[][] = [];
  let i = 0;
  const known = new Set(nodes);
  const visit = (v: number) => {
    index.set(v, i);
    low.set(v, i);
    i++;
    stack.push(v);
    on.add(v);
    for (const w of next(v)) {
      if (!known.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      out.push(scc.reverse());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** One cycle of foreign keys among the tables of a component, for the note. */
function cycleThrough(part: number[], keys: ForeignKey[]): ForeignKey[] {
  const start = Math.min(...part);
  const path: ForeignKey[] = [];
  const seen = new Set<number>();
  const dfs = (v: number): boolean => {
    for (const f of keys.filter((k) => k.rel === v)) {
      path.push(f);
      if (f.ref === start) return true;
      if (!seen.has(f.ref)) {
        seen.add(f.ref);
        if (dfs(f.ref)) return true;
      }
      path.pop();
    }
    return false;
  };
  seen.add(start);
  dfs(start);
  return path;
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
