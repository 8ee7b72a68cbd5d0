/**
 * Code inside a statement: the body of a DO block or of a function or procedure, which the parser
 * gives as a string. Its statements are split here; classify.ts parses and classifies those of a DO
 * block (they run with the migration) and names the first write of a function body (it runs when the
 * function is called).
 */

/** A node of libpg-query's JSON parse tree (classify.ts's PgNode; declared here, which imports nothing). */
type PgNode = Record<string, any>;
/** The parser's synchronous face (postgres.ts's PgModule). */
interface BodyParser {
  parseSync(sql: string): { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> };
}

/** Statements that change the schema or the data: what a body is looked into for. */
export const DDL_DML =
  /^\s*(drop|truncate|delete|update|alter|insert|create|grant|revoke|execute|merge|copy|comment|refresh|reindex|cluster|vacuum|lock|rename)\b/i;

/** The parser once loaded, for the statements inside DO blocks (classification is synchronous). */
let loaded: BodyParser | undefined;
export function setBodyParser<P extends BodyParser>(pg: P): P {
  return (loaded = pg);
}
export function bodyParser(): BodyParser | undefined {
  return loaded;
}

/** The `AS` text of a DO block or function: its body (`AS $$...$$`, or `AS 'obj', 'link'` for C). */
export function bodyOf(options: PgNode[] | undefined): string | undefined {
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (d?.defname !== 'as') continue;
    if (d.arg?.String) return d.arg.String.sval ?? '';
    const items: PgNode[] = d.arg?.List?.items ?? [];
    return items.map((i) => i.String?.sval ?? '').join('\n');
  }
  return undefined;
}

export function languageOf(options: PgNode[] | undefined): string {
  for (const o of options ?? [])
    if (o.DefElem?.defname === 'language') return String(o.DefElem.arg?.String?.sval ?? '');
  return 'plpgsql';
}

/**
 * The statements of a PL/pgSQL body, split at the semicolons that end them (outside strings,
 * dollar quotes and comments), each with its offset in the body and its text from the first word
 * that starts an SQL command (control words such as BEGIN, IF ... THEN, LOOP and ELSE dropped).
 */
export function bodyStatements(body: string): Array<{ offset: number; text: string }> {
  const out: Array<{ offset: number; text: string }> = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const piece = body.slice(start, end);
    // Control structure before the command: BEGIN, DECLARE x int;, IF cond THEN, ELSE, LOOP, a label.
    const m =
      /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|<<\w+>>|\b(?:begin|declare|else|loop|then|exception)\b|\bif\b[\s\S]*?\bthen\b|\b(?:elsif|elseif)\b[\s\S]*?\bthen\b|\bwhen\b[\s\S]*?\bthen\b|\b(?:for|while)\b[\s\S]*?\bloop\b)*/i.exec(
        piece,
      );
    const skip = m ? m[0].length : 0;
    const text = piece.slice(skip).trim();
    if (text && !/^end\b/i.test(text)) out.push({ offset: start + skip, text });
    start = end + 1;
  };
  while (i < body.length) {
    const c = body[i]!;
    if (c === "'") {
      i = body.indexOf("'", i + 1);
      while (i >= 0 && body[i + 1] === "'") i = body.indexOf("'", i + 2);
      i = i < 0 ? body.length : i + 1;
    } else if (c === '-' && body[i + 1] === '-') {
      const nl = body.indexOf('\n', i);
      i = nl < 0 ? body.length : nl + 1;
    } else if (c === '/' && body[i + 1] === '*') {
      const e = body.indexOf('*/', i + 2);
      i = e < 0 ? body.length : e + 2;
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(body.slice(i));
      if (tag) {
        const e = body.indexOf(tag[0], i + tag[0].length);
        i = e < 0 ? body.length : e + tag[0].length;
      } else i++;
    } else if (c === ';') {
      push(i);
      i++;
    } else i++;
  }
  if (start < body.length) push(body.length);
  return out;
}

export function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A statement shortened for a message. */
export function shortStatement(text: string): string {
  const short = text.replace(/\s+/g, ' ').trim();
  return short.length > 80 ? `${short.slice(0, 77)}...` : short;
}
