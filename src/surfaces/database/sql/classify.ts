/**
 * PostgreSQL statements classified into operations (vocabulary.ts): from the parse tree libpg-query
 * gives (the server's own node names), what each statement does to the schema and the data.
 */
import { bodyOf, bodyParser, bodyStatements, countLines, DDL_DML, languageOf, shortStatement } from './body.js';
import type { ColumnDef, Op, OpKind } from './vocabulary.js';
import { pgUpdateShape } from './update-shape.js';

/** A node of libpg-query's JSON parse tree. */
export type PgNode = Record<string, any>;

const str = (n: PgNode | undefined): string | undefined => n?.String?.sval ?? n?.sval;
const rel = (r: PgNode | undefined): string | undefined =>
  r?.relname ? (r.schemaname ? `${r.schemaname}.${r.relname}` : r.relname) : undefined;
function nameList(items: PgNode[] | undefined): string {
  let out = '';
  let first = true;
  if (items)
    for (let i = 0; i < items.length; i++) {
      const x = str(items[i]);
      if (x === undefined || x === 'pg_catalog') continue;
      out = first ? x : `${out}.${x}`;
      first = false;
    }
  return out;
}

function typeName(t: PgNode | undefined): string {
  if (!t) return '?';
  const base = nameList(t.names);
  const typmods: PgNode[] | undefined = t.typmods;
  if (!typmods || typmods.length === 0) return base;
  const mods = typmods.map((m: PgNode) => m.A_Const?.ival?.ival ?? m.A_Const?.ival ?? '?');
  return `${base}(${mods.join(',')})`;
}

const STABLE_DEFAULTS = ['now', 'current_timestamp', 'current_date', 'statement_timestamp', 'transaction_timestamp'];

/** A default the server evaluates once (PostgreSQL 11+: no table rewrite): constants and casts of constants. */
function isConstant(e: PgNode | undefined): boolean {
  if (!e) return true;
  if (e.A_Const) return true;
  if (e.TypeCast) return isConstant(e.TypeCast.arg);
  if (e.FuncCall) {
    const fn = nameList(e.FuncCall.funcname);
    // Stable functions are evaluated once when the column is added; volatile ones force a rewrite.
    return STABLE_DEFAULTS.includes(fn);
  }
  if (e.SQLValueFunction) return true;
  return false;
}

/**
 * A DO block runs when the migration does: each statement of its body is parsed and classified like
 * a statement of the file (a DROP TABLE inside it is a DROP TABLE), at its own line. A statement the
 * parser cannot read, or SQL built at run time (EXECUTE), is an `opaque-body` operation: not assessed.
 */
function doBlockOps(n: PgNode, line: number, column0: number): Op[] {
  const body = bodyOf(n.args);
  if (body === undefined) return [];
  const language = languageOf(n.args).toLowerCase();
  const opaque = (detail: string, at: number): Op => ({
    kind: 'opaque-body',
    detail,
    table: 'DO',
    line: line + at,
    column0,
  });
  if (language !== 'plpgsql')
    return DDL_DML.test(body) || /\b(drop|delete|truncate|update)\b/i.test(body)
      ? [opaque(`DO block in ${language}`, 0)]
      : [];
  const out: Op[] = [];
  // Lines of the body are counted from the statement's first line, where `DO $$` opens it.
  for (const st of bodyStatements(body)) {
    if (!DDL_DML.test(st.text)) continue;
    const at = countLines(body, st.offset);
    if (/^execute\b/i.test(st.text)) {
      out.push(opaque(`dynamic SQL: ${shortStatement(st.text)}`, at));
      continue;
    }
    let parsed: ReturnType<NonNullable<ReturnType<typeof bodyParser>>['parseSync']> | undefined;
    try {
      parsed = bodyParser()?.parseSync(st.text);
    } catch {
      parsed = undefined;
    }
    if (!parsed) out.push(opaque(`a statement the parser cannot read: ${shortStatement(st.text)}`, at));
    else out.push(...(parsed.stmts ?? []).flatMap((x) => classifyPg(x.stmt, line + at, column0)));
  }
  return out;
}

const DROP_VIEWS = ['OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FUNCTION', 'OBJECT_PROCEDURE'];

/** The one key of a node ({ CreateStmt: {...} }), without an array of keys. */
function nodeKind(node: PgNode): string | undefined {
  for (const k in node) return k;
  return undefined;
}

/** The operations of one PostgreSQL statement (its parse tree), at its line and column. */
export function classifyPg(node: PgNode, line: number, column0: number): Op[] {
  const kind = nodeKind(node);
  const n = node[kind!] as PgNode;
  switch (kind) {
    case 'CreateStmt': {
      const { defs, primaryKey, uniques } = tableDefs(n.tableElts);
      return [{ kind: 'create-table', table: rel(n.relation), defs, primaryKey, ...(uniques ? { uniques } : {}), line, column0 }];
    }
    case 'DropdbStmt':
      return [{ kind: 'drop-database', name: n.dbname, line, column0 }];
    case 'AlterDomainStmt': {
      const name = nameList(n.typeName);
      if (n.subtype === 'C') {
        const x = n.def?.Constraint ?? {};
        return [
          {
            kind: x.skip_validation ? 'add-constraint-not-valid' : 'domain-constraint',
            table: name,
            name: x.conname ?? '(unnamed)',
            detail: 'domain check',
            line,
            column0,
          },
        ];
      }
      if (n.subtype === 'O') return [{ kind: 'domain-constraint', table: name, name: 'NOT NULL', detail: 'domain not null', line, column0 }];
      return [];
    }
    case 'AlterObjectSchemaStmt':
      return n.objectType === 'OBJECT_TABLE' && n.relation
        ? [{ kind: 'rename-table', table: rel(n.relation), name: `${n.newschema}.${n.relation.relname}`, line, column0 }]
        : [];
    case 'CreateTableAsStmt':
      return [{ kind: 'create-table', table: rel(n.into?.rel), line, column0 }];
    case 'ViewStmt':
      return [{ kind: 'create-view', table: rel(n.view), line, column0 }];
    case 'CreateFunctionStmt': {
      const name = nameList(n.funcname);
      const create: Op = { kind: 'create-function', name, line, column0 };
      const body = bodyOf(n.options);
      const writes = body !== undefined ? bodyStatements(body).filter((x) => DDL_DML.test(x.text)) : [];
      if (writes.length === 0) return [create];
      // What the body does happens when the function is called, not when the migration runs.
      return [
        create,
        {
          kind: 'opaque-body',
          name,
          detail: `${n.is_procedure ? 'procedure' : 'function'} ${name}: ${shortStatement(writes[0]!.text)}`,
          table: 'function',
          line,
          column0,
        },
      ];
    }
    case 'DoStmt':
      return doBlockOps(n, line, column0);
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
      return [{ kind: 'create-type', name: nameList(n.typeName) || rel(n.typevar), line, column0 }];
    case 'IndexStmt': {
      const k = n.concurrent ? 'create-index-concurrently' : 'create-index';
      const o: Op = { kind: k, table: rel(n.relation), line, column0 };
      if (n.idxname) o.name = n.idxname;
      const cols = keyColumns(n.indexParams);
      if (cols) o.columns = cols;
      if (n.unique || n.primary) o.unique = true;
      if (n.whereClause) o.detail = 'partial';
      return [o];
    }
    case 'AlterEnumStmt':
      return n.oldVal
        ? [
            {
              kind: 'enum-rename-value',
              name: nameList(n.typeName),
              detail: `${n.oldVal} -> ${n.newVal}`,
              line,
              column0,
            },
          ]
        : [{ kind: 'enum-add-value', name: nameList(n.typeName), detail: n.newVal, line, column0 }];
    case 'RenameStmt':
      if (n.renameType === 'OBJECT_COLUMN')
        return [{ kind: 'rename-column', table: rel(n.relation), column: n.subname, name: n.newname, line, column0 }];
      if (n.renameType === 'OBJECT_TABLE' || n.renameType === 'OBJECT_VIEW')
        return [{ kind: 'rename-table', table: rel(n.relation), name: n.newname, line, column0 }];
      if (n.renameType === 'OBJECT_SCHEMA')
        return [{ kind: 'rename-schema', table: n.subname, name: n.newname, line, column0 }];
      return [];
    case 'DropStmt': {
      const removeType = n.removeType;
      const k: OpKind | undefined =
        removeType === 'OBJECT_TABLE'
          ? 'drop-table'
          : removeType === 'OBJECT_INDEX'
            ? n.concurrent
              ? 'drop-index-concurrently'
              : 'drop-index'
            : removeType === 'OBJECT_TYPE' || removeType === 'OBJECT_DOMAIN'
              ? 'drop-type'
              : DROP_VIEWS.includes(removeType)
                ? 'drop-view'
                : undefined;
      if (!k) return [];
      const objects: PgNode[] = n.objects ?? [];
      const out: Op[] = [];
      for (let i = 0; i < objects.length; i++) {
        const o = objects[i]!;
        const name: string = o.List ? nameList(o.List.items) : (str(o) ?? nameList(o.TypeName?.names));
        out.push(
          k === 'drop-table' || k === 'drop-view'
            ? { kind: k, table: name, line, column0 }
            : { kind: k, name, line, column0 },
        );
      }
      return out;
    }
    case 'AlterTableStmt': {
      const table = rel(n.relation);
      const cmds: PgNode[] | undefined = n.cmds;
      if (!cmds) return [];
      if (cmds.length === 1) return alterCmd(table, cmds[0]!.AlterTableCmd ?? {}, line, column0);
      const out: Op[] = [];
      for (let i = 0; i < cmds.length; i++) {
        const ops = alterCmd(table, cmds[i]!.AlterTableCmd ?? {}, line, column0);
        for (let j = 0; j < ops.length; j++) out.push(ops[j]!);
      }
      return out;
    }
    case 'UpdateStmt': {
      const table = rel(n.relation);
      const targets: PgNode[] = n.targetList ?? [];
      let cols = '';
      const columns: string[] = [];
      for (let i = 0; i < targets.length; i++) {
        const name = targets[i]!.ResTarget?.name;
        if (name) {
          cols = cols ? `${cols}, ${name}` : name;
          columns.push(name);
        }
      }
      return [
        {
          kind: n.whereClause ? 'update-where' : 'update-all',
          table,
          detail: cols,
          columns,
          ...pgUpdateShape(n, columns),
          line,
          column0,
        },
      ];
    }
    case 'DeleteStmt':
      return [{ kind: 'delete', table: rel(n.relation), detail: n.whereClause ? 'WHERE' : 'all rows', line, column0 }];
    case 'TruncateStmt':
      return (n.relations ?? []).map((r: PgNode) => ({
        kind: 'truncate' as const,
        table: rel(r.RangeVar),
        line,
        column0,
      }));
    case 'InsertStmt': {
      const sel = n.selectStmt?.SelectStmt;
      const o: Op = { kind: 'insert', table: rel(n.relation), line, column0 };
      if (sel && !sel.valuesLists) o.fromSelect = true;
      const cols = (n.cols ?? []).map((c: PgNode) => c.ResTarget?.name).filter(Boolean);
      if (cols.length) o.columns = cols;
      return [o];
    }
    case 'TransactionStmt':
      if (n.kind === 'TRANS_STMT_BEGIN' || n.kind === 'TRANS_STMT_START') return [{ kind: 'begin', line, column0 }];
      if (n.kind === 'TRANS_STMT_COMMIT' || n.kind === 'TRANS_STMT_ROLLBACK')
        return [{ kind: 'commit', line, column0 }];
      return [];
    default:
      return [];
  }
}

/** `col IS NOT NULL`: the column; anything else: undefined. */
function notNullTest(e: PgNode | undefined): string | undefined {
  const t = e?.NullTest;
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const f: PgNode[] | undefined = t.arg?.ColumnRef?.fields;
  return f && f.length === 1 ? str(f[0]) : undefined;
}

/** An index's key columns, when every key is a plain column (an expression key: undefined). */
function keyColumns(params: PgNode[] | undefined): string[] | undefined {
  if (!params || params.length === 0) return undefined;
  const out: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const name = params[i]!.IndexElem?.name;
    if (!name) return undefined;
    out.push(name);
  }
  return out;
}

/** CREATE TABLE's columns (type, NOT NULL, default) and primary key. */
function tableDefs(elts: PgNode[] | undefined): { defs: ColumnDef[]; primaryKey?: string[]; uniques?: NonNullable<Op['uniques']> } {
  const defs: ColumnDef[] = [];
  let primaryKey: string[] | undefined;
  const uniques: NonNullable<Op['uniques']> = [];
  if (!elts) return { defs };
  for (let i = 0; i < elts.length; i++) {
    const e = elts[i]!;
    if (e.ColumnDef) {
      const d = e.ColumnDef;
      let notNull = false;
      let hasDefault = false;
      for (const c of (d.constraints ?? []) as PgNode[]) {
        const t = c.Constraint?.contype;
        if (t === 'CONSTR_NOTNULL') notNull = true;
        else if (t === 'CONSTR_PRIMARY') {
          notNull = true;
          primaryKey = [d.colname];
        } else if (t === 'CONSTR_DEFAULT' || t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED') hasDefault = true;
        else if (t === 'CONSTR_UNIQUE')
          uniques.push({ columns: [d.colname], ...(c.Constraint.conname ? { name: c.Constraint.conname } : {}) });
      }
      const type = typeName(d.typeName);
      if (/^(big|small)?serial$|^serial[248]$/.test(type)) hasDefault = true;
      defs.push({ name: d.colname, type, notNull, hasDefault });
    } else if (e.Constraint?.contype === 'CONSTR_PRIMARY') {
      primaryKey = (e.Constraint.keys ?? []).map((k: PgNode) => str(k)).filter(Boolean);
    } else if (e.Constraint?.contype === 'CONSTR_UNIQUE') {
      const columns = (e.Constraint.keys ?? []).map((k: PgNode) => str(k)).filter(Boolean);
      uniques.push({ columns, ...(e.Constraint.conname ? { name: e.Constraint.conname } : {}) });
    }
  }
  return { defs, ...(primaryKey ? { primaryKey } : {}), ...(uniques.length > 0 ? { uniques } : {}) };
}

/** A foreign key's ON UPDATE / ON DELETE action, as the parser spells it (NO ACTION when none is given). */
const FK_ACTIONS: Record<string, string> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

const CONSTRAINT_TYPES: Record<string, string> = {
  CONSTR_FOREIGN: 'foreign key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary key',
  CONSTR_EXCLUSION: 'exclusion',
};

function alterCmd(table: string | undefined, c: PgNode, line: number, column0: number): Op[] {
  switch (c.subtype) {
    case 'AT_AddColumn': {
      const def = c.def?.ColumnDef ?? {};
      const raw: PgNode[] = def.constraints ?? [];
      let notNull = false;
      let dflt: PgNode | undefined;
      let generated = false;
      let checked = false;
      for (let i = 0; i < raw.length; i++) {
        const t = (raw[i]!.Constraint ?? {}).contype;
        if (t === 'CONSTR_NOTNULL' || t === 'CONSTR_PRIMARY') notNull = true;
        else if (t === 'CONSTR_DEFAULT') dflt ??= raw[i]!.Constraint;
        else if (t === 'CONSTR_IDENTITY' || t === 'CONSTR_GENERATED') generated = true;
        else if (t === 'CONSTR_FOREIGN' || t === 'CONSTR_CHECK' || t === 'CONSTR_UNIQUE') checked = true;
      }
      const column = def.colname as string;
      const detail = typeName(def.typeName);
      const kind: OpKind =
        generated || (dflt && !isConstant(dflt.raw_expr))
          ? 'add-column-volatile-default'
          : dflt
            ? 'add-column-default'
            : notNull
              ? 'add-column-required'
              : 'add-column';
      const out: Op[] = [{ kind, table, column, detail, line, column0 }];
      if (checked)
        for (let i = 0; i < raw.length; i++) {
          const x = raw[i]!.Constraint ?? {};
          if (x.contype === 'CONSTR_FOREIGN' || x.contype === 'CONSTR_CHECK' || x.contype === 'CONSTR_UNIQUE')
            out.push({
              kind: x.skip_validation ? 'add-constraint-not-valid' : 'add-constraint',
              table,
              column: def.colname,
              name: x.conname ?? '(unnamed)',
              detail: CONSTRAINT_TYPES[x.contype] ?? x.contype,
              line,
              column0,
            });
        }
      return out;
    }
    case 'AT_DropColumn':
      return [{ kind: 'drop-column', table, column: c.name, line, column0 }];
    case 'AT_AlterColumnType': {
      const def = c.def?.ColumnDef ?? {};
      const detail = typeName(def.typeName);
      // `USING col::newtype` is the explicit cast of the column itself (named 'CAST': the rule knows which casts
      // keep every value); any other expression computes new values ('USING').
      const using = def.raw_default;
      if (!using) return [{ kind: 'alter-column-type', table, column: c.name, detail, line, column0 }];
      const cast = using.TypeCast;
      const f: PgNode[] | undefined = cast?.arg?.ColumnRef?.fields;
      const plain = f && f.length === 1 && str(f[0]) === c.name && typeName(cast.typeName) === detail;
      return [{ kind: 'alter-column-type', table, column: c.name, detail, name: plain ? 'CAST' : 'USING', line, column0 }];
    }
    case 'AT_SetNotNull':
      return [{ kind: 'set-not-null', table, column: c.name, line, column0 }];
    case 'AT_DropNotNull':
      return [{ kind: 'drop-not-null', table, column: c.name, line, column0 }];
    case 'AT_ColumnDefault':
      // SET DEFAULT is catalog-only and changes nothing the running version relies on; DROP DEFAULT may.
      return c.def ? [] : [{ kind: 'drop-default', table, column: c.name, line, column0 }];
    case 'AT_DetachPartition':
      return [{ kind: 'detach-partition', table, name: rel(c.def?.PartitionCmd?.name), line, column0 }];
    case 'AT_AddConstraint': {
      const x = c.def?.Constraint ?? {};
      if (x.contype === 'CONSTR_PRIMARY' || x.contype === 'CONSTR_UNIQUE') {
        if (x.indexname) return []; // USING INDEX: built concurrently beforehand
      }
      const o: Op = {
        kind: x.skip_validation ? 'add-constraint-not-valid' : 'add-constraint',
        table,
        name: x.conname ?? '(unnamed)',
        detail:
          CONSTRAINT_TYPES[x.contype] ??
          String(x.contype ?? '')
            .replace('CONSTR_', '')
            .toLowerCase(),
        line,
        column0,
      };
      if (x.contype === 'CONSTR_PRIMARY' || x.contype === 'CONSTR_UNIQUE') {
        o.unique = true;
        const cols = (x.keys ?? []).map((k: PgNode) => str(k)).filter(Boolean);
        if (cols.length) o.columns = cols;
      } else if (x.contype === 'CONSTR_FOREIGN') {
        const ref = rel(x.pktable);
        if (ref) o.references = ref;
        const cols = (x.fk_attrs ?? []).map((k: PgNode) => str(k)).filter(Boolean);
        if (cols.length) o.columns = cols;
        const refCols = (x.pk_attrs ?? []).map((k: PgNode) => str(k)).filter(Boolean);
        if (refCols.length) o.refColumns = refCols;
        o.onUpdate = FK_ACTIONS[x.fk_upd_action] ?? 'no action';
        o.onDelete = FK_ACTIONS[x.fk_del_action] ?? 'no action';
      } else if (x.contype === 'CONSTR_CHECK') {
        const col = notNullTest(x.raw_expr);
        if (col) o.notNullCheck = col;
      }
      return [o];
    }
    case 'AT_ValidateConstraint':
      return [{ kind: 'validate-constraint', table, name: c.name, line, column0 }];
    case 'AT_DropConstraint':
      return [{ kind: 'drop-constraint', table, name: c.name, line, column0 }];
    default:
      return [];
  }
}
