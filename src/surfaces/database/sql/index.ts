/**
 * The SQL reader, as the rest of rollwright uses it (the database surface's context, the revert check,
 * the rehearsal): PostgreSQL parsed by libpg-query and MySQL by node-sql-parser, both loaded on first
 * use only, into statements classified by one vocabulary.
 */
export { loadMysqlParser, looksLikeMysql, parseMysql, splitStatements } from './mysql.js';
export {
  loadPgParser,
  parsePostgres,
  parsePostgresMany,
  splitPg,
  type PgModule,
  type RawStatement,
} from './postgres.js';
export { byteToChar, isBlank, positionOf } from './text.js';
export { PHASE_OF, type Op, type OpKind, type ParsedSql, type Statement } from './vocabulary.js';
