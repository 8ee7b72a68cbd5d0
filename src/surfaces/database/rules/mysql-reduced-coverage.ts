import { defineRule } from '../../../core/rule.js';

/** A migration in MySQL's dialect: classified with a MySQL parser, with fewer checks than PostgreSQL. */
export default defineRule<unknown, 'reduced'>({
  id: 'mysql-reduced-coverage',
  surface: 'database',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A migration in MySQL dialect is classified with reduced coverage.',
    rationale:
      'The PostgreSQL rules rest on the PostgreSQL parser and PostgreSQL locking and transaction behaviour. MySQL migrations are parsed with node-sql-parser (MySQL grammar) and classified for DDL (drops, renames, type changes, added columns) and data statements only; locking, transactional DDL and rehearsal are not covered. The finding says so instead of treating the file as PostgreSQL.',
    fix: 'Nothing to do; set `database.dialect: mysql` in .rollwright.yaml to skip the PostgreSQL attempt.',
    references: ['https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html'],
  },
  messages: {
    reduced:
      'MySQL dialect (configured dialect: {{configured}}): DDL and data statements are classified; locking, transactions and rehearsal are not covered',
  },
  check() {
    /* reported while parsing, in index.ts */
  },
});
