/**
 * One statement normaliser per dialect: the key under which two statements' texts count as the same
 * statement (an edited migration's unchanged statements, a squashed migration's repeated ones).
 */

export type KeyDialect = 'postgres' | 'mysql' | 'clickhouse';

/**
 * A statement's text with its whitespace, table options and the case of unquoted words evened out. Names
 * compare as the server reads them: on MySQL a backticked name is the bare name and a double-quoted one is
 * a string (ANSI_QUOTES is off by default), so the two never match; on PostgreSQL "x" is the unquoted x
 * only when x is already lower case (folding). ClickHouse's text is compared with its whitespace evened
 * out and in lower case.
 */
export function statementKey(s: string, dialect: KeyDialect): string {
  if (dialect === 'clickhouse') return s.replace(/\s+/g, ' ').trim().toLowerCase();
  const mysql = dialect === 'mysql';
  const t = s
    .replace(/\b(ENGINE|(DEFAULT\s+)?CHARSET|(DEFAULT\s+)?CHARACTER\s+SET|COLLATE)\s*=?\s*\w+/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  const tokens = mysql ? /'(?:[^'\\]|\\.|'')*'|"[^"]*"|`[^`]*`|[^'"`]+/g : /'(?:[^']|'')*'|"[^"]*"|`[^`]*`|[^'"`]+/g;
  return t.replace(tokens, (tok) => {
    if (tok[0] === "'") return tok;
    if (tok[0] === '`') return tok.slice(1, -1).toLowerCase();
    if (tok[0] === '"') return !mysql && /^"[a-z_][a-z0-9_$]*"$/.test(tok) ? tok.slice(1, -1) : tok;
    return tok.toLowerCase();
  });
}
