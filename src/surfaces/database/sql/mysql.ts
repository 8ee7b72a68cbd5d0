/**
 * MySQL, parsed by node-sql-parser with reduced coverage (loaded on first use only): statements split
 * on semicolons outside quotes and comments, each parsed and classified into the same operations as
 * PostgreSQL's.
 */
import { positionOf, skipTrivia } from './text.js';
import type { Op, ParsedSql, Statement } from './vocabulary.js';

let mysqlParser: Promise<{ astify(sql: string, opt: { database: string }): unknown }> | undefined;

export function loadMysqlParser() {
  mysqlParser ??= import('node-sql-parser').then((m: any) => {
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

function classifyMysql(n: any, line: number, column0: number): Op[] {
  const at = { line, column0 };
  const t = (x: any) => (x?.table ? String(x.table) : undefined);
  const table = t(Array.isArray(n?.table) ? n.table[0] : n?.table);
  switch (n?.type) {
    case 'create':
      if (n.keyword === 'table') return [{ kind: 'create-table', table, ...at }];
      if (n.keyword === 'index') return [{ kind: 'create-index', table: t(n.table), ...at }];
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
              detail: String(e.definition?.dataType ?? '?').toLowerCase(),
              ...at,
            },
          ];
        return [];
      });
    case 'update':
      return [{ kind: n.where ? 'update-where' : 'update-all', table, ...at }];
    case 'delete':
      return [{ kind: 'delete', table, detail: n.where ? 'WHERE' : 'all rows', ...at }];
    case 'truncate':
      return [{ kind: 'truncate', table, ...at }];
    case 'insert':
    case 'replace':
      return [{ kind: 'insert', table, ...at }];
    default:
      return [];
  }
}

/** Signs of MySQL's dialect in a file PostgreSQL cannot parse. */
export function looksLikeMysql(text: string): boolean {
  return /`\w+`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b|\bMODIFY\s+COLUMN\b|\bDEFAULT CHARSET\b/i.test(text);
}
