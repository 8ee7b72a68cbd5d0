/**
 * What an UPDATE writes from, read from the parsers' trees (PostgreSQL's and node-sql-parser's) and
 * from ClickHouse's `ALTER TABLE ... UPDATE` text: whether every assigned value is computed from other
 * columns of the same row (a backfill the down can recompute: `SET string_value = number_value`), and
 * whether the WHERE clause limits it to rows where the written columns are empty (`col IS NULL`), and
 * which columns of other tables the assigned values read (a copy: `UPDATE a SET x = b.x FROM b`).
 */
type Node = any;

export interface UpdateShape {
  derivedFrom?: string[];
  fillsEmpty?: boolean;
  copiesFrom?: string[];
}

/** `schema.table` or `table` of a PostgreSQL RangeVar. */
const pgRel = (r: Node): string | undefined =>
  r?.relname ? (r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname) : undefined;

/** The tables of a FROM list (joins included), by the name a query refers to them with (alias, else name). */
function pgScope(from: Node[] | undefined, into: Map<string, string>): void {
  for (const f of from ?? []) {
    if (f?.RangeVar) {
      const t = pgRel(f.RangeVar);
      if (t) into.set(f.RangeVar.alias?.aliasname ?? f.RangeVar.relname, t);
    } else if (f?.JoinExpr) pgScope([f.JoinExpr.larg, f.JoinExpr.rarg], into);
  }
}

/**
 * The columns of other tables (`table.column`) an expression reads: a column qualified by a table of
 * the scopes (innermost first), or an unqualified column of a subquery over one table (PostgreSQL
 * resolves a name in the innermost query first, and the column is that table's when it has it).
 */
function pgCopied(e: Node, scopes: Array<Map<string, string>>, out: Set<string>): void {
  if (e === null || typeof e !== 'object') return;
  if (Array.isArray(e)) return void e.forEach((x) => pgCopied(x, scopes, out));
  const sel = e.SubLink?.subselect?.SelectStmt;
  if (sel) {
    const inner = new Map<string, string>();
    pgScope(sel.fromClause, inner);
    const next = [inner, ...scopes];
    pgCopied(sel.targetList, next, out);
    return;
  }
  if (e.ColumnRef) {
    const f: string[] = (e.ColumnRef.fields ?? []).map((x: Node) => x?.String?.sval);
    const column = f[f.length - 1];
    if (!column || f.some((x) => x === undefined)) return;
    if (f.length === 1) {
      const only = scopes.length > 1 && scopes[0]!.size === 1 ? [...scopes[0]!.values()][0] : undefined;
      if (only) out.add(`${only}.${column}`);
      return;
    }
    const q = f[f.length - 2]!;
    for (const s of scopes) {
      const t = s.get(q);
      if (t) return void out.add(`${t}.${column}`);
    }
    if (f.length === 3) out.add(`${q}.${column}`);
    return;
  }
  for (const k of Object.keys(e)) pgCopied(e[k], scopes, out);
}

/** What the SET values of a PostgreSQL UPDATE read from tables other than the one it updates. */
function pgCopies(n: Node): string[] {
  const scope = new Map<string, string>();
  pgScope(n.fromClause, scope);
  const self = pgRel(n.relation);
  if (self) scope.set(n.relation.alias?.aliasname ?? n.relation.relname, self);
  const out = new Set<string>();
  for (const t of n.targetList ?? []) pgCopied(t.ResTarget?.val, [scope], out);
  return [...out].filter((c) => c.slice(0, c.lastIndexOf('.')) !== self);
}

/** What the SET values of a MySQL multi-table UPDATE (`UPDATE a JOIN b ... SET a.x = b.y`) read from the other tables. */
function myCopies(n: Node): string[] {
  const tables: Node[] = n.table ?? [];
  if (tables.length < 2) return [];
  const name = (t: Node) => String(t.table); // as the classified operations name MySQL tables
  const scope = new Map<string, string>(tables.filter((t) => t?.table).map((t) => [t.as ?? t.table, name(t)]));
  const self = name(tables[0]);
  const out = new Set<string>();
  const walk = (e: Node): void => {
    if (e === null || typeof e !== 'object') return;
    if (Array.isArray(e)) return void e.forEach(walk);
    if (e.ast || e.type === 'select') return;
    if (e.type === 'column_ref' && typeof e.column === 'string' && e.table && scope.has(e.table))
      return void out.add(`${scope.get(e.table)}.${e.column}`);
    for (const k of Object.keys(e)) walk(e[k]);
  };
  for (const s of n.set ?? []) if (!s.table || scope.get(s.table) === self) walk(s.value);
  return [...out].filter((c) => c.slice(0, c.lastIndexOf('.')) !== self);
}

/** Columns an expression reads; undefined when it reads a subquery, a parameter or a whole row. */
function pgColumns(e: Node, out: Set<string>): boolean {
  if (e === null || typeof e !== 'object') return true;
  if (Array.isArray(e)) return e.every((x) => pgColumns(x, out));
  if (e.SubLink || e.ParamRef || e.MultiAssignRef) return false;
  if (e.ColumnRef) {
    const f: Node[] = e.ColumnRef.fields ?? [];
    const last = f[f.length - 1];
    if (!last?.String?.sval) return false; // t.*
    out.add(last.String.sval);
    return true;
  }
  for (const k of Object.keys(e)) if (!pgColumns(e[k], out)) return false;
  return true;
}

/** Runs `read` for one assigned value into its own set: each value must read at least one column. */
function eachReads(all: Set<string>, read: (into: Set<string>) => boolean): boolean {
  const one = new Set<string>();
  if (!read(one) || one.size === 0) return false;
  for (const c of one) all.add(c);
  return true;
}

/**
 * The columns the values are computed from, when the update is a backfill of a subset of rows: every
 * value reads other columns of the same row, and a WHERE clause picks the rows by columns it does not
 * write (`WHERE data_type = 2`). Without a WHERE it rewrites every row's value, and a WHERE on a written
 * column (`WHERE nickname IS NOT NULL`) picks rows by the values it replaces: both stay overwrites.
 */
function shape(
  written: readonly string[],
  read: Set<string> | undefined,
  where: Set<string> | undefined,
): string[] | undefined {
  if (!read || read.size === 0 || written.length === 0 || !where || where.size === 0) return undefined;
  for (const w of written) if (read.has(w) || where.has(w)) return undefined;
  return [...read];
}

/** The columns a WHERE clause reads; undefined when there is none or it cannot be read. */
function whereColumns(w: Node, columns: (e: Node, out: Set<string>) => boolean): Set<string> | undefined {
  if (!w) return undefined;
  const out = new Set<string>();
  return columns(w, out) ? out : undefined;
}

/** The conjuncts of a WHERE clause (its top-level ANDs). */
function pgConjuncts(w: Node): Node[] {
  if (w?.BoolExpr?.boolop === 'AND_EXPR') return (w.BoolExpr.args ?? []).flatMap(pgConjuncts);
  return w ? [w] : [];
}

/** The column a test holds empty (`col IS NULL`, `col = ''`, or an OR of those on one column). */
function pgEmptyTest(c: Node): string | undefined {
  if (c?.NullTest?.nulltesttype === 'IS_NULL') {
    const f: Node[] = c.NullTest.arg?.ColumnRef?.fields ?? [];
    return f[f.length - 1]?.String?.sval;
  }
  const a = c?.A_Expr;
  if (a?.kind === 'AEXPR_OP' && a.name?.[0]?.String?.sval === '=' && a.rexpr?.A_Const?.sval?.sval === '') {
    const f: Node[] = a.lexpr?.ColumnRef?.fields ?? [];
    return f[f.length - 1]?.String?.sval;
  }
  if (c?.BoolExpr?.boolop === 'OR_EXPR') {
    const cols = (c.BoolExpr.args ?? []).map(pgEmptyTest);
    return cols.length > 0 && cols.every((x: string | undefined) => x && x === cols[0]) ? cols[0] : undefined;
  }
  return undefined;
}

/** A PostgreSQL UpdateStmt: `FROM` another table is a join, not a same-row derivation. */
export function pgUpdateShape(n: Node, written: readonly string[]): UpdateShape {
  const out: UpdateShape = {};
  if (!n.fromClause?.length) {
    const read = new Set<string>();
    const ok = (n.targetList ?? []).every((t: Node) => eachReads(read, (r) => pgColumns(t.ResTarget?.val, r)));
    const d = shape(written, ok ? read : undefined, whereColumns(n.whereClause, pgColumns));
    if (d) out.derivedFrom = d;
  }
  const copies = pgCopies(n);
  if (copies.length > 0) out.copiesFrom = copies;
  const empty = new Set(pgConjuncts(n.whereClause).map(pgEmptyTest));
  if (written.length > 0 && written.every((w) => empty.has(w))) out.fillsEmpty = true;
  return out;
}

function myColumns(e: Node, out: Set<string>): boolean {
  if (e === null || typeof e !== 'object') return true;
  if (Array.isArray(e)) return e.every((x) => myColumns(x, out));
  if (e.ast || e.type === 'select' || e.type === 'param' || e.type === 'var') return false;
  if (e.type === 'column_ref') {
    const c = typeof e.column === 'string' ? e.column : e.column?.expr?.value;
    if (typeof c !== 'string' || c === '*') return false;
    out.add(c);
    return true;
  }
  for (const k of Object.keys(e)) if (!myColumns(e[k], out)) return false;
  return true;
}

function myConjuncts(w: Node): Node[] {
  if (w?.type === 'binary_expr' && w.operator === 'AND') return [...myConjuncts(w.left), ...myConjuncts(w.right)];
  return w ? [w] : [];
}

function myEmptyTest(c: Node): string | undefined {
  if (c?.type !== 'binary_expr') return undefined;
  const col = c.left?.type === 'column_ref' && typeof c.left.column === 'string' ? c.left.column : undefined;
  if (c.operator === 'IS' && c.right?.type === 'null') return col;
  if (c.operator === '=' && /string$/.test(c.right?.type ?? '') && c.right.value === '') return col;
  if (c.operator === 'OR') {
    const l = myEmptyTest(c.left);
    return l && l === myEmptyTest(c.right) ? l : undefined;
  }
  return undefined;
}

/** A node-sql-parser `update`: more than one table is a join. */
export function mysqlUpdateShape(n: Node, written: readonly string[]): UpdateShape {
  const out: UpdateShape = {};
  if ((n.table ?? []).length <= 1 && !n.from?.length) {
    const read = new Set<string>();
    const ok = (n.set ?? []).every((s: Node) => eachReads(read, (r) => myColumns(s.value, r)));
    const d = shape(written, ok ? read : undefined, whereColumns(n.where, myColumns));
    if (d) out.derivedFrom = d;
  }
  const copies = myCopies(n);
  if (copies.length > 0) out.copiesFrom = copies;
  const empty = new Set(myConjuncts(n.where).map(myEmptyTest));
  if (written.length > 0 && written.every((w) => empty.has(w))) out.fillsEmpty = true;
  return out;
}

/** Words of ClickHouse expressions that are not columns. */
const CH_WORDS = new Set(
  'and or not is null in as case when then else end like ilike between true false interval if'.split(' '),
);

/**
 * ClickHouse `UPDATE a = expr, b = expr WHERE cond` (the text after `ALTER TABLE t`): the written
 * columns, and the shape. Names followed by `(` are functions; quoted strings are skipped.
 */
export function clickhouseUpdateShape(c: string): UpdateShape & { columns: string[] } {
  const body = c.replace(/^UPDATE\s+/i, '');
  const strip = (s: string) => s.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const m = /^([\s\S]*?)\s+WHERE\s+([\s\S]*)$/i.exec(strip(body));
  const sets = m ? m[1]! : strip(body);
  const where = m ? m[2]! : '';
  const columns: string[] = [];
  const read = new Set<string>();
  let ok = true;
  for (const a of splitTop(sets)) {
    const eq = /^`?(\w+)`?\s*=\s*([\s\S]+)$/.exec(a.trim());
    if (!eq) return { columns };
    columns.push(eq[1]!);
    const expr = eq[2]!;
    if (/\bSELECT\b/i.test(expr)) ok = false;
    let any = false;
    for (const id of expr.matchAll(/`?([A-Za-z_]\w*)`?(\s*\()?/g))
      if (!id[2] && !CH_WORDS.has(id[1]!.toLowerCase()) && !/^(String|UInt\d+|Int\d+|Float\d+|Date\w*)$/.test(id[1]!)) {
        read.add(id[1]!);
        any = true;
      }
    if (!any) ok = false;
  }
  const out: UpdateShape & { columns: string[] } = { columns };
  const whereRead = new Set<string>();
  for (const id of where.matchAll(/`?([A-Za-z_]\w*)`?(\s*\()?/g))
    if (!id[2] && !CH_WORDS.has(id[1]!.toLowerCase())) whereRead.add(id[1]!);
  const d = shape(columns, ok ? read : undefined, where ? whereRead : undefined);
  if (d) out.derivedFrom = d;
  const conj = where.split(/\s+AND\s+/i).map((x) => x.trim());
  const empty = (col: string) =>
    conj.some(
      (x) =>
        new RegExp(`^\`?${col}\`?\\s+IS\\s+NULL$`, 'i').test(x) ||
        new RegExp(`^(isNull\\(\\s*\`?${col}\`?\\s*\\)|empty\\(\\s*\`?${col}\`?\\s*\\)|\`?${col}\`?\\s*=\\s*'')$`, 'i').test(x),
    );
  if (columns.length > 0 && columns.every(empty)) out.fillsEmpty = true;
  return out;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let d = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') d++;
    else if (ch === ')') d--;
    if (ch === ',' && d === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
