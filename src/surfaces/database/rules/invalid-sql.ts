import { defineRule } from '../../../core/rule.js';

/**
 * A migration rollwright could not parse, one in a dialect it does not read, or one with nothing in it.
 *
 * A migration that does not parse does not apply either: PostgreSQL rejects the file before running any
 * of it (a multi-statement query is one implicit transaction), and the framework stops the deploy with
 * the migration recorded as failed (golang-migrate marks the database `dirty` until `migrate force`;
 * Prisma records it in `_prisma_migrations` and refuses to deploy until `prisma migrate resolve`; on
 * MySQL, whose DDL is not transactional, the statements before the error stay applied). That is a
 * blocked deploy that someone repairs by hand, not data destroyed: reversible-with-manual-repair, an
 * error that blocks the gate.
 */
export default defineRule<unknown, 'syntax' | 'empty' | 'onlyComments' | 'clickhouse' | 'clickhouseNoSemicolon' | 'mysqlQuotes' | 'failsOnSchema'>({
  id: 'invalid-sql',
  surface: 'database',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-database-migration', effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  docs: {
    summary:
      'A migration does not parse with the PostgreSQL parser (or MySQL parser), is written in a dialect rollwright does not read (ClickHouse), has no statement, has a ClickHouse statement that runs into the next with no `;` between them, or has a statement that fails on every database that ran the earlier migrations of its folder.',
    rationale:
      'A migration that does not parse does not apply: PostgreSQL rejects the whole file (one multi-statement query runs as one implicit transaction, so nothing of it stays), and the framework stops the deploy with the migration recorded as failed: golang-migrate marks the database dirty until `migrate force`, Prisma refuses further deploys until `prisma migrate resolve`, Flyway records the failure. The deploy is blocked and someone repairs it by hand (reversible-with-manual-repair, an error that blocks the gate); nothing is destroyed. A ClickHouse migration (a `clickhouse` folder, `ENGINE = MergeTree`, `CODEC(...)`) is read statement by statement by `database/clickhouse-statement`; a statement it does not recognise (and a ClickHouse down migration) is reported here as not assessed, with the class held at the conservative end, never as invalid SQL. A ClickHouse migration is split as clickhouse-client splits a multi-query file, at `;` outside quotes and comments: the client parses one statement up to the next `;`, and a parsed statement must end there or at the end of the input (`tryParseQuery`: `Expected ... end of query` otherwise). A statement whose `;` is missing runs into the next one (a line that starts with `RENAME TABLE`, `ALTER TABLE`, `CREATE TABLE`, `INSERT INTO`, `DROP TABLE` and the like, words that continue no clause: an ORDER BY element, for one, takes no alias without AS, `ParserOrderByElement`), and the two are one syntax error. The client runs the statements before it, stops there (unless `--ignore-error`) and runs none after it; ClickHouse has no transactions, so what ran stays and the fixed file cannot simply be run again (a CREATE TABLE it ran fails with `already exists`): reversible-with-manual-repair, reported when the change adds the file or edits it so that the `;` is missing where the old text had one (before the same statement); the statements after it are not assessed as if they ran. A migration for MySQL (Prisma\'s `provider = \"mysql\"` in the folder\'s `migration_lock.toml`, or a `mysql` folder) that quotes a table or column name with double quotes does not run either: in MySQL a double-quoted text is a string literal unless the server\'s `sql_mode` holds `ANSI_QUOTES` (it is not in the default mode), so `INSERT INTO \"user\"` is a syntax error (1064), whichever parser rollwright read the file with; MySQL DDL commits implicitly, so the statements before it stay applied and the database is left half-migrated. The statement creates nothing and is not assessed as if it ran. A statement that fails on the schema its folder\'s earlier migrations leave fails on every database that ran them: an ADD COLUMN of a column that exists (PostgreSQL: `column ... already exists`), a CREATE TABLE, INDEX or TYPE of a name that exists, a DROP, ALTER or RENAME of a table or column that is not there, each without IF [NOT] EXISTS. PostgreSQL runs the migration (one multi-statement query) as one implicit transaction, so the statements before it are rolled back and those after it never run: they are not assessed as if they ran. The finding names the migration that created (or dropped) the object. It is reported only where the schema is known for sure: the folder\'s history parsed, and no statement in it that the model does not follow (a DO block, a CREATE TABLE whose columns come from elsewhere, a statement without a modelled operation); a missing object counts only on a table the folder itself created (an index may come from a constraint, a type from an extension). An empty migration is recorded as applied by every framework and does nothing: usually a file committed before it was written. A MySQL stored program (CREATE PROCEDURE, FUNCTION, TRIGGER or EVENT) whose body is a BEGIN ... END compound statement is one statement: its semicolons separate the statements of the body, nested blocks and labels included; the server reads it so when the file is sent as one multi-statement query (as Prisma does on MySQL), and `DELIMITER` is a command of the mysql client only, not SQL. A body that never reaches its END is a syntax error.',
    fix: 'Fix the SQL at the line and column given (`psql -c` shows the same error), guard a statement that may find its object there or gone with IF [NOT] EXISTS (or remove it), or delete the empty migration.',
    references: [
      'https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT',
      'https://www.postgresql.org/docs/15/sql-altertable.html',
      'https://github.com/golang-migrate/migrate/blob/master/GETTING_STARTED.md#forcing-your-database-version',
      'https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing#failed-migration',
      'https://clickhouse.com/docs/en/sql-reference/statements/alter',
      'https://clickhouse.com/docs/interfaces/cli',
      'https://github.com/ClickHouse/ClickHouse/blob/master/src/Parsers/parseQuery.cpp',
      'https://github.com/ClickHouse/ClickHouse/blob/master/src/Parsers/ExpressionElementParsers.cpp',
      'https://github.com/pganalyze/libpg_query',
      'https://dev.mysql.com/doc/refman/8.4/en/identifiers.html',
      'https://dev.mysql.com/doc/refman/8.4/en/stored-programs-defining.html',
      'https://dev.mysql.com/doc/refman/8.4/en/begin-end.html',
      'https://dev.mysql.com/doc/refman/8.4/en/string-literals.html',
      'https://dev.mysql.com/doc/refman/8.4/en/sql-mode.html#sqlmode_ansi_quotes',
      'https://dev.mysql.com/doc/refman/8.4/en/implicit-commit.html',
    ],
  },
  messages: {
    syntax: {
      text: 'SQL does not parse ({{dialect}}): {{reason}}; the migration fails to apply and blocks the deploy until it is fixed and the failed run resolved',
      unassessed: {
        reason: 'the migration does not parse ({{dialect}}), so its statements were not assessed',
        remedy: 'fix the SQL at the line given (psql shows the same error), or tell rollwright its dialect',
      },
    },
    mysqlQuotes: {
      text: 'MySQL reads {{quoted}} as a string, not a name (double quotes quote identifiers only under ANSI_QUOTES, which the default sql_mode lacks): the statement is a syntax error, so the migration fails here with the statements before it applied (MySQL DDL is not transactional) and blocks the deploy until it is fixed and the failed run resolved; quote names with backticks',
      // Read and understood, not unassessed: the migration fails part-way on a database that holds data.
      decision: { effects: ['data-surface'] },
      unassessed: false,
    },
    failsOnSchema: {
      text: 'fails on every database that ran the earlier migrations of its folder: {{object}} {{state}} ({{source}}), so PostgreSQL rejects the statement and the migration with it (one implicit transaction: the statements before it are rolled back, the {{after}} after it never run); the framework records the migration as failed and refuses later deploys until it is fixed and the failed run resolved by hand',
      decision: { effects: ['data-surface'] },
      unassessed: false,
    },
    clickhouseNoSemicolon: {
      text: 'no `;` ends the ClickHouse statement of line {{start}} before the {{what}} at line {{line}}: ClickHouse parses up to the next `;` and reads both as one statement, a syntax error, so clickhouse-client stops the file here; the statements before it have run and stay (no transactions) and none after it runs: the fixed file is run again only once what ran is checked and undone by hand where it cannot run twice (a CREATE TABLE of a table it left)',
      // Read and understood, not unassessed: the file stops part-way on a database that holds data.
      decision: { effects: ['data-surface'] },
      unassessed: false,
    },
    clickhouse: {
      text: 'not assessed: ClickHouse {{what}} (a statement rollwright does not recognise); the class is held until it is reviewed by hand',
      class: 'non-recoverable-without-restore',
      severity: 'warning',
      unassessed: {
        reason: 'a ClickHouse statement rollwright does not recognise',
        remedy: 'review the migration by hand and accept the finding in the change declaration',
      },
    },
    empty: {
      text: 'the {{what}} is empty: it is recorded as applied and does nothing',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
      unassessed: false,
    },
    onlyComments: {
      text: 'the {{what}} holds only comments: it is recorded as applied and does nothing',
      class: 'fully-reversible',
      severity: 'warning',
      decision: { effects: [] },
      unassessed: false,
    },
  },
  check() {
    /* reported while parsing, in index.ts */
  },
});
