/**
 * MySQL, parsed by node-sql-parser with reduced coverage (loaded on first use only): statements split
 * on semicolons outside quotes and comments, each parsed and classified into the same operations as
 * PostgreSQL's.
 */
import { positionOf, skipTrivia } from './text.js';
import type { ColumnDef, Op, ParsedSql, Statement } from './vocabulary.js';
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

/** Splits on semicolons outside quotes and comments, keeping 1-based lines. */
export function splitStatements(text: string): Array<{ text: string; line: number; column: number }> {
  const out: Array<{ text: string; line: number; column: number }> = [];
  let start = 0;
  let q: string | undefined;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === q) q = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') q = ch;
    else if (ch === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length - 1 : e;
    } else if (ch === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? text.length - 1 : e + 1;
    } else if (ch === ';' || i === text.length) {
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

/** `varchar(36)`, `timestamp(0)`, `int`: a column definition's type as written. */
function mysqlType(d: any): string {
  const base = String(d?.dataType ?? '?').toLowerCase();
  if (d?.length === undefined || d?.length === null) return base;
  return d.scale !== undefined && d.scale !== null ? `${base}(${d.length},${d.scale})` : `${base}(${d.length})`;
}

const colName = (c: any): string | undefined => (typeof c === 'string' ? c : (c?.column ?? c?.expr?.column));

function classifyMysql(n: any, line: number, column0: number): Op[] {
  const at = { line, column0 };
  const t = (x: any) => (x?.table ? String(x.table) : undefined);
  const table = t(Array.isArray(n?.table) ? n.table[0] : n?.table);
  switch (n?.type) {
    case 'create':
      if (n.keyword === 'table') {
        const defs: ColumnDef[] = [];
        let primaryKey: string[] | undefined;
        for (const d of n.create_definitions ?? []) {
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
        return [{ kind: 'create-table', table, defs, primaryKey, ...at }];
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
        if (e.resource === 'column' && e.action === 'rename')
          return [{ kind: 'rename-column', table, column: e.old_column?.column, name: col, ...at }];
        if (e.resource === 'column' && (e.action === 'modify' || e.action === 'change'))
          return [
            {
              kind: 'alter-column-type',
              table,
              column: col,
              detail: mysqlType(e.definition),
              notNull: e.nullable?.type === 'not null',
              hasDefault: !!e.default_val,
              ...at,
            },
          ];
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
