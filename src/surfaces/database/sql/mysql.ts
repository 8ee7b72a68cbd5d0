/**
 * MySQL, parsed by node-sql-parser with reduced coverage (loaded on first use only): statements split
 * on semicolons outside quotes and comments, each parsed and classified into the same operations as
 * PostgreSQL's.
 */
import { positionOf, skipTrivia } from './text.js';
import type { ColumnDef, Op, ParsedSql, Statement } from './vocabulary.js';
import { bodyStatements, DDL_DML, shortStatement } from './body.js';
import { mysqlUpdateShape } from './update-shape.js';
import { optionalPackage } from '../../../core/errors.js';

let mysqlParser: Promise<{ astify(sql: string, opt: { database: string }): unknown }> | undefined;

export function loadMysqlParser() {
  mysqlParser ??= optionalPackage(import('node-sql-parser'), 'node-sql-parser', 'Parsing MySQL migrations').then((m: any) => {
    const P = m.Parser ?? m.default?.Parser;
    return new P();
  });
  return mysqlParser;
}

/** A stored program: its body may be a compound statement (BEGIN ... END) with semicolons inside. */
const STORED_PROGRAM =
  /^(?:\s|--[^\n]*\n|#[^\n]*\n|\/\*[\s\S]*?\*\/)*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:AGGREGATE\s+)?(PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i;

/**
 * Splits on semicolons outside quotes, comments and the compound statements of stored programs, keeping
 * 1-based lines. A client sends a file as one multi-statement query (Prisma on MySQL, or a driver with
 * multiStatements), so the server, not the mysql client's `DELIMITER`, reads `CREATE PROCEDURE p() BEGIN
 * ...; ...; END`: its BEGIN ... END (nested blocks, labels, CASE ... END CASE; END IF, END LOOP, END WHILE
 * and END REPEAT close no block) is one statement.
 */
export function splitStatements(text: string): Array<{ text: string; line: number; column: number }> {
  const out: Array<{ text: string; line: number; column: number }> = [];
  let start = 0;
  let q: string | undefined;
  let depth = 0;
  let stored: boolean | undefined;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === q) q = undefined;
      continue;
    }
    if (ch !== undefined && /[A-Za-z]/.test(ch) && (i === 0 || !/[\w$@]/.test(text[i - 1]!))) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 16))![0].toUpperCase();
      if (word === 'BEGIN' || (word === 'CASE' && depth > 0)) {
        stored ??= STORED_PROGRAM.test(text.slice(start, i));
        if (stored) depth++;
      } else if (word === 'END' && depth > 0) {
        // END closes BEGIN or CASE (END CASE, or a CASE expression's END); the word after it is skipped.
        const next = /^\s*(\w*)/.exec(text.slice(i + 3, i + 80))!;
        const w = next[1]!.toUpperCase();
        if (w !== 'IF' && w !== 'LOOP' && w !== 'WHILE' && w !== 'REPEAT') depth--;
        i += 3 + next[0].length - 1;
        continue;
      }
      i += word.length - 1;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') q = ch;
    else if (ch === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length - 1 : e;
    } else if (ch === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length - 1 : e + 1;
    } else if ((ch === ';' && depth === 0) || i === text.length) {
      stored = undefined;
      depth = 0;
      const buf = Buffer.from(text.slice(0, i), 'utf8');
      const s = skipTrivia(buf, Buffer.byteLength(text.slice(0, start)));
      const body = buf.subarray(s).toString('utf8').trim();
      if (body) out.push({ text: body, ...positionOf(text, s) });
      start = i + 1;
    }
  }
  return out;
}

export async function parseMysql(text: string): Promise<ParsedSql> {
  const parser = await loadMysqlParser();
  const statements: Statement[] = [];
  for (const s of splitStatements(text)) {
    // `ALTER TABLE t RENAME INDEX a TO b` (MySQL 5.7+) is not in node-sql-parser's grammar; renaming an
    // index is catalog-only and changes nothing the application sees.
    if (RENAME_INDEX.test(s.text)) {
      statements.push({ ...s, ops: [] });
      continue;
    }
    // Stored programs, CALL and DROP PROCEDURE are not in node-sql-parser's grammar: read here.
    const program = storedProgramOps(parser, s);
    if (program) {
      statements.push({ ...s, ops: program });
      continue;
    }
    let ast: any;
    try {
      ast = parser.astify(s.text, { database: 'MySQL' });
    } catch (e) {
      const m = /line (\d+), column (\d+)/i.exec((e as Error).message);
      return {
        dialect: 'mysql',
        statements,
        error: {
          message: (e as Error).message.split('\n')[0]!,
          line: s.line + (m ? Number(m[1]) - 1 : 0),
          column: m ? Number(m[2]) : s.column,
        },
      };
    }
    const node = Array.isArray(ast) ? ast[0] : ast;
    statements.push({ ...s, ops: classifyMysql(node, s.line, s.column) });
  }
  return { dialect: 'mysql', statements };
}

const RENAME_INDEX = /^ALTER\s+TABLE\s+\S+\s+RENAME\s+(INDEX|KEY)\s+\S+\s+TO\s+\S+$/i;

const unquote = (n: string) => n.replace(/[`"]/g, '');

/**
 * A stored program (CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT), a CALL or a DROP PROCEDURE/FUNCTION, as
 * operations; undefined for any other statement. As for PostgreSQL's functions, what a body writes
 * happens when it runs, and is named by an `opaque-body` operation: its first statement that changes the
 * schema or the data. A prepared statement built from a CONCAT of literal text and variables
 * (`SET @q = CONCAT('ALTER TABLE \`', @t, '\` RENAME INDEX ...')`, `PREPARE s FROM @q`, `EXECUTE s`) is
 * read through its template, the variables standing for names: a template that parses to nothing that
 * changes data (an index rename) is no write.
 */
function storedProgramOps(
  parser: { astify(sql: string, opt: { database: string }): unknown },
  s: { text: string; line: number; column: number },
): Op[] | undefined {
  const at = { line: s.line, column0: s.column };
  const drop = /^DROP\s+(PROCEDURE|FUNCTION|TRIGGER|EVENT)\s+(?:IF\s+EXISTS\s+)?(\S+)/i.exec(s.text);
  if (drop) return [{ kind: 'drop-view', table: unquote(drop[2]!), detail: drop[1]!.toLowerCase(), ...at }];
  if (/^CALL\b/i.test(s.text)) return [];
  const m = STORED_PROGRAM.exec(s.text);
  if (!m) return undefined;
  const name = unquote(/^\s*(?:IF\s+NOT\s+EXISTS\s+)?(\S+?)(?:\(|\s|$)/i.exec(s.text.slice(m[0].length))?.[1] ?? '?');
  const kind = m[1]!.toLowerCase();
  const create: Op = { kind: 'create-function', name, ...at };
  const begin = /\bBEGIN\b/i.exec(s.text);
  // A compound body that never closes ran to the end of the file: a syntax error, left to the parser.
  if (begin && !/\bEND(?:\s+\w+)?\s*$/i.test(s.text)) return undefined;
  const body = begin ? s.text.slice(begin.index) : s.text.slice(m[0].length);
  const writes = bodyStatements(body).filter((x) => DDL_DML.test(x.text) && !harmlessDynamic(parser, body, x.text));
  if (writes.length === 0) return [create];
  return [create, { kind: 'opaque-body', name, detail: `${kind} ${name}: ${shortStatement(writes[0]!.text)}`, table: 'function', ...at }];
}

/** `EXECUTE s` of a statement prepared from a CONCAT template that reads as an index rename (or nothing). */
function harmlessDynamic(parser: { astify(sql: string, opt: { database: string }): unknown }, body: string, st: string): boolean {
  const exec = /^EXECUTE\s+(\w+)/i.exec(st);
  if (!exec) return false;
  const prep = new RegExp(`PREPARE\\s+${exec[1]}\\s+FROM\\s+(@\\w+)`, 'i').exec(body);
  if (!prep) return false;
  const set = new RegExp(`SET\\s+${prep[1]}\\s*=\\s*CONCAT\\s*\\(([\\s\\S]*?)\\)\\s*;`, 'i').exec(body);
  if (!set) return false;
  const template = (set[1]!.match(/'(?:[^'\\]|\\.|'')*'|[^,]+/g) ?? [])
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) => (a.startsWith("'") ? a.slice(1, -1).replace(/''/g, "'") : 'x'))
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/;\s*$/, '')
    .trim();
  if (RENAME_INDEX.test(template)) return true;
  try {
    const ast: any = parser.astify(template, { database: 'MySQL' });
    return classifyMysql(Array.isArray(ast) ? ast[0] : ast, 1, 0).length === 0 && /^SELECT\b/i.test(template);
  } catch {
    return false;
  }
}

/**
 * `varchar(36)`, `timestamp`, `int unsigned`: a column definition's type as MySQL stores it. Synonyms are
 * one type (MySQL 8.4 Reference Manual, 13.1.1 Numeric Data Type Syntax: INTEGER is a synonym for INT,
 * BOOLEAN for TINYINT(1)); a temporal type's fractional seconds precision defaults to 0 (13.2.6 Fractional
 * Seconds in Time Values: "If omitted, the default precision is 0"), so `timestamp(0)` is `timestamp`.
 */
function mysqlType(d: any): string {
  let base = String(d?.dataType ?? '?').toLowerCase();
  let length = d?.length;
  if (base === 'integer') base = 'int';
  else if (base === 'boolean' || base === 'bool') [base, length] = ['tinyint', 1];
  else if ((base === 'timestamp' || base === 'datetime' || base === 'time') && Number(length) === 0) length = undefined;
  // UNSIGNED is part of the type: an INT UNSIGNED column holds 0..4294967295, an INT one does not.
  const unsigned = Array.isArray(d?.suffix) && d.suffix.some((x: unknown) => String(x).toUpperCase() === 'UNSIGNED') ? ' unsigned' : '';
  if (length === undefined || length === null) return base + unsigned;
  return (d.scale !== undefined && d.scale !== null ? `${base}(${length},${d.scale})` : `${base}(${length})`) + unsigned;
}

const colName = (c: any): string | undefined => (typeof c === 'string' ? c : (c?.column ?? c?.expr?.column));

/** InnoDB's referential actions as the reader names them (`no action` when none is given, MySQL's default). */
const FK_ACTION: Record<string, string> = {
  restrict: 'restrict',
  cascade: 'cascade',
  'set null': 'set null',
  'set default': 'set default',
  'no action': 'no action',
};

/**
 * `ADD [CONSTRAINT name] FOREIGN KEY (cols) REFERENCES t (cols) [ON DELETE ...] [ON UPDATE ...]` and
 * `DROP FOREIGN KEY name`, as the same operations as PostgreSQL's ADD / DROP CONSTRAINT. MySQL has no
 * NOT VALID: with foreign_key_checks on (the default) InnoDB checks every row (ALGORITHM=COPY).
 */
function foreignKeyOp(e: any, table: string | undefined, at: { line: number; column0: number }): Op | undefined {
  if (e.action === 'drop' && e.resource === 'key' && String(e.keyword ?? '').toLowerCase() === 'foreign key' && e.key)
    return { kind: 'drop-constraint', table, name: unquote(String(e.key)), detail: 'foreign key', ...at };
  return e.action === 'add' && e.resource === 'constraint' ? foreignKey(e.create_definitions, table, at) : undefined;
}

/** A FOREIGN KEY constraint definition (of ALTER TABLE ... ADD, or of CREATE TABLE) as an add-constraint. */
function foreignKey(d: any, table: string | undefined, at: { line: number; column0: number }): Op | undefined {
  if (d?.resource !== 'constraint' || String(d.constraint_type ?? '').toUpperCase() !== 'FOREIGN KEY') return undefined;
  const ref = d.reference_definition ?? {};
  const o: Op = { kind: 'add-constraint', table, name: d.constraint ? unquote(String(d.constraint)) : '(unnamed)', detail: 'foreign key', ...at };
  const cols = (d.definition ?? []).map(colName).filter(Boolean);
  if (cols.length) o.columns = cols;
  const refTable = ref.table?.[0]?.table;
  if (refTable) o.references = String(refTable);
  const refCols = (ref.definition ?? []).map(colName).filter(Boolean);
  if (refCols.length) o.refColumns = refCols;
  const action = (type: string) =>
    FK_ACTION[String((ref.on_action ?? []).find((a: any) => a?.type === type)?.value?.value ?? 'no action').toLowerCase()] ?? 'no action';
  o.onDelete = action('on delete');
  o.onUpdate = action('on update');
  return o;
}

function classifyMysql(n: any, line: number, column0: number): Op[] {
  const at = { line, column0 };
  const t = (x: any) => (x?.table ? String(x.table) : undefined);
  const table = t(Array.isArray(n?.table) ? n.table[0] : n?.table);
  switch (n?.type) {
    case 'create':
      if (n.keyword === 'table') {
        const defs: ColumnDef[] = [];
        let primaryKey: string[] | undefined;
        // Its foreign keys, as if added after it: the schema knows them, and an edit that moves them to ALTER
        // TABLE ... ADD CONSTRAINT adds nothing new.
        const keys: Op[] = [];
        // Its indexes: one declared here is the index `CREATE INDEX` makes after it (MySQL 8.4 Reference
        // Manual, 15.1.20 CREATE TABLE: an unnamed one takes the name of its first column, with a suffix
        // _2, _3... when that name is taken).
        const indexes: NonNullable<Op['indexes']> = [];
        const named = (cols: string[]) => {
          let name = cols[0]!;
          for (let i = 2; indexes.some((x) => x.name.toLowerCase() === name.toLowerCase()); i++) name = `${cols[0]}_${i}`;
          return name;
        };
        for (const d of n.create_definitions ?? []) {
          const kind = String(d.constraint_type ?? d.keyword ?? '').toLowerCase();
          const cols: string[] = Array.isArray(d.definition) ? d.definition.map(colName).filter(Boolean) : [];
          const unique = d.resource === 'constraint' && /^unique( index| key)?$/.test(kind);
          if (cols.length && (unique || (d.resource === 'index' && (kind === 'index' || kind === 'key'))))
            indexes.push({ name: d.index ? unquote(String(d.index)) : d.constraint ? unquote(String(d.constraint)) : named(cols), columns: cols, unique });
          if (d.resource === 'column' && d.primary_key) primaryKey = [colName(d.column)!];
          const fk = foreignKey(d, table, at);
          if (fk) keys.push(fk);
          if (d.resource === 'column')
            defs.push({
              name: colName(d.column)!,
              type: mysqlType(d.definition),
              notNull: d.nullable?.type === 'not null' || !!d.primary_key,
              hasDefault: !!d.default_val || !!d.auto_increment,
            });
          else if (d.resource === 'constraint' && d.constraint_type === 'primary key')
            primaryKey = (d.definition ?? []).map(colName);
        }
        const o: Op = { kind: 'create-table', table, defs, primaryKey, ...at };
        if (indexes.length) o.indexes = indexes;
        return [o, ...keys];
      }
      if (n.keyword === 'index') {
        const o: Op = { kind: 'create-index', table: t(n.table), ...at };
        if (n.index) o.name = String(n.index);
        const cols = (n.index_columns ?? []).map(colName).filter(Boolean);
        if (cols.length) o.columns = cols;
        if (n.index_type === 'unique') o.unique = true;
        else if (n.index_type === 'fulltext' || n.index_type === 'spatial') o.detail = n.index_type;
        return [o];
      }
      if (n.keyword === 'view') return [{ kind: 'create-view', table, ...at }];
      return [];
    case 'drop':
      return n.keyword === 'table'
        ? (n.name ?? []).map((x: any) => ({ kind: 'drop-table' as const, table: t(x), ...at }))
        : [];
    case 'rename':
      return (n.table ?? []).map((p: any[]) => ({
        kind: 'rename-table' as const,
        table: t(p[0]),
        name: t(p[1]),
        ...at,
      }));
    case 'alter':
      return (n.expr ?? []).flatMap((e: any): Op[] => {
        const col = e.column?.column as string | undefined;
        if (e.resource === 'column' && e.action === 'drop') return [{ kind: 'drop-column', table, column: col, ...at }];
        if (e.resource === 'column' && e.action === 'add')
          return [
            {
              kind:
                e.nullable?.type === 'not null' && !e.default_val
                  ? 'add-column-required'
                  : e.default_val
                    ? 'add-column-default'
                    : 'add-column',
              table,
              column: col,
              detail: mysqlType(e.definition),
              ...at,
            },
          ];
        const fk = foreignKeyOp(e, table, at);
        if (fk) return [fk];
        if (e.resource === 'column' && e.action === 'rename')
          return [{ kind: 'rename-column', table, column: e.old_column?.column, name: col, ...at }];
        if (e.resource === 'column' && (e.action === 'modify' || e.action === 'change')) {
          // CHANGE old new <definition> restates the column under its new name: the definition applies to the
          // column as it is (its old name), then the rename; a definition equal to the current one is no change.
          const old = e.action === 'change' ? (e.old_column?.column as string | undefined) : undefined;
          const restated: Op = {
            kind: 'alter-column-type',
            table,
            column: old ?? col,
            detail: mysqlType(e.definition),
            notNull: e.nullable?.type === 'not null',
            hasDefault: !!e.default_val || !!e.auto_increment,
            ...at,
          };
          if (!old || !col || old === col) return [restated];
          return [restated, { kind: 'rename-column', table, column: old, name: col, ...at }];
        }
        return [];
      });
    case 'update': {
      const columns: string[] = (n.set ?? []).map((x: any) => x.column).filter(Boolean);
      return [
        {
          kind: n.where ? 'update-where' : 'update-all',
          table,
          detail: columns.join(', '),
          columns,
          ...mysqlUpdateShape(n, columns),
          ...at,
        },
      ];
    }
    case 'delete':
      return [{ kind: 'delete', table, detail: n.where ? 'WHERE' : 'all rows', ...at }];
    case 'truncate':
      return [{ kind: 'truncate', table, ...at }];
    case 'insert':
    case 'replace':
      return n.values?.type === 'select'
        ? [{ kind: 'insert', table, fromSelect: true, ...at }]
        : [{ kind: 'insert', table, ...at }];
    default:
      return [];
  }
}

/** Signs of MySQL's dialect in a file PostgreSQL cannot parse. */
export function looksLikeMysql(text: string): boolean {
  return /`\w+`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b|\bMODIFY\s+COLUMN\b|\bDEFAULT CHARSET\b/i.test(text);
}

/**
 * The first double-quoted name where MySQL needs an identifier (a table after INSERT INTO, UPDATE,
 * FROM, JOIN, TABLE, REFERENCES, INDEX ... ON; a column after COLUMN or in an INSERT's column list):
 * without `ANSI_QUOTES` in the server's sql_mode (not in MySQL's default), double quotes delimit a
 * string, so the statement is a syntax error (1064). Strings in single quotes and comments are skipped.
 */
export function doubleQuotedIdentifier(statement: string): string | undefined {
  const text = statement
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const m =
    /\b(?:INTO|UPDATE|FROM|JOIN|REFERENCES|COLUMN|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+("[^"]*")/i.exec(text) ??
    /\bINDEX\s+\S+\s+ON\s+("[^"]*")/i.exec(text) ??
    /\bINSERT\s+INTO\s+\S+\s*\(\s*("[^"]*")/i.exec(text);
  return m?.[1];
}
