import { defineRule } from '../../../core/rule.js';
import type { Op, Statement } from '../sql/vocabulary.js';
import { loc, type DbContext } from '../model.js';

const CONCURRENT = new Set(['create-index-concurrently', 'drop-index-concurrently']);

/** CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block: the migration fails. */
export default defineRule<DbContext, 'explicit' | 'framework'>({
  id: 'concurrent-index-in-transaction',
  surface: 'database',
  class: 'fully-reversible',
  severity: 'error',
  blocksGate: true,
  docs: {
    summary:
      "CREATE INDEX CONCURRENTLY or DROP INDEX CONCURRENTLY inside a transaction (explicit, or the framework's).",
    rationale:
      'PostgreSQL refuses CONCURRENTLY inside a transaction block ("cannot run inside a transaction block"), and several statements sent as one query run as one implicit transaction. golang-migrate and Prisma send a whole file as one query, dbmate wraps each migration in a transaction unless told not to, Flyway refuses a migration that mixes non-transactional statements with others. The migration fails at deploy time; the file itself must change, so no declaration can accept it.',
    fix: 'Put the concurrent index in a migration of its own with no other statement and no BEGIN (dbmate: `-- migrate:up transaction:false`).',
    references: [
      'https://www.postgresql.org/docs/15/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY',
      'https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT',
      'https://github.com/golang-migrate/migrate/blob/master/database/postgres/TUTORIAL.md',
      'https://github.com/amacneil/dbmate#options',
    ],
  },
  messages: {
    explicit:
      "{{statement}} inside BEGIN (line {{begin}}): PostgreSQL refuses it with 'cannot run inside a transaction block'",
    framework:
      "{{statement}} runs inside a transaction: {{why}}; PostgreSQL refuses it with 'cannot run inside a transaction block'",
  },
  check({ migrations, report }) {
    for (let i = 0; i < migrations.length; i++) {
      const m = migrations[i]!;
      let begin: Statement | undefined;
      const statements = m.up.statements;
      for (let j = 0; j < statements.length; j++) {
        const s = statements[j]!;
        // The ops of one statement: begin, commit, the concurrent index (first of each, as some/find).
        let isBegin = false;
        let isCommit = false;
        let o: Op | undefined;
        for (let k = 0; k < s.ops.length; k++) {
          const x = s.ops[k]!;
          if (x.kind === 'begin') isBegin = true;
          else if (x.kind === 'commit') isCommit = true;
          else if (o === undefined && CONCURRENT.has(x.kind)) o = x;
        }
        if (isBegin) begin = s;
        if (isCommit) begin = undefined;
        if (!o) continue;
        const statement =
          o.kind === 'create-index-concurrently' ? 'CREATE INDEX CONCURRENTLY' : 'DROP INDEX CONCURRENTLY';
        if (begin) report('explicit', { statement, begin: begin.line }, loc(m.file.path, o));
        else if (m.transaction) report('framework', { statement, why: m.transaction }, loc(m.file.path, o));
      }
    }
  },
});
