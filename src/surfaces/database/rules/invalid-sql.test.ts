import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './invalid-sql.js';

ruleTable(database, rule, {
  valid: [
    { name: 'statements parse', after: { 'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n' } },
    { name: 'a .sql file that is not a migration is not parsed', after: { 'docs/example.sql': 'SELEC nonsense' } },
  ],
  invalid: [
    {
      name: 'a ClickHouse statement not recognised (by folder or by its engines) is not assessed, never invalid SQL',
      after: {
        'db/clickhouse/migrations/02_add_visit_id.sql':
          'ALTER TABLE website_event ADD COLUMN visit_id UUID AFTER session_id;\nALTER TABLE website_event MOVE PARTITION 202401 TO TABLE archive;\n',
        'db/migrations/3_a.up.sql':
          'CREATE TABLE e (id UUID CODEC(ZSTD)) ENGINE = MergeTree ORDER BY id;\nATTACH TABLE e2;\n',
        'db/migrations/3_a.down.sql': 'DROP TABLE e;\n',
        'db/migrations/4_b.up.sql': 'CREATE TABLE f (id UUID) ENGINE = MergeTree ORDER BY id;\n',
      },
      errors: [
        {
          messageId: 'clickhouse',
          file: 'db/clickhouse/migrations/02_add_visit_id.sql',
          line: 2,
          severity: 'warning',
          class: 'non-recoverable-without-restore',
          message:
            'not assessed: ClickHouse up migration statement `ALTER TABLE website_event MOVE PARTITION 202401 TO TABLE archive`',
        },
        { messageId: 'clickhouse', file: 'db/migrations/3_a.up.sql', line: 2 },
      ],
    },
    {
      name: 'syntax error with the parser line and column',
      after: { 'db/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n\nALTER TABLE a ADD COLUMN;\n' },
      errors: [
        {
          messageId: 'syntax',
          class: 'reversible-with-manual-repair',
          severity: 'error',
          line: 3,
          message: 'SQL does not parse (postgres): syntax error at or near ";"',
        },
      ],
    },
    {
      name: 'empty migration',
      after: { 'db/migrations/2_b.up.sql': '', 'db/migrations/2_b.down.sql': 'SELECT 1;' },
      errors: [{ messageId: 'empty', class: 'fully-reversible', severity: 'warning', line: 1 }],
    },
    {
      name: 'only comments',
      after: { 'V3__c.sql': '-- TODO\n/* later */\n' },
      errors: [{ messageId: 'onlyComments', message: 'the up migration holds only comments' }],
    },
    {
      name: 'a down that does not parse',
      after: { 'm/4_d.up.sql': 'CREATE TABLE d (id int);', 'm/4_d.down.sql': 'DROP TABEL d;' },
      errors: [{ messageId: 'syntax', file: 'm/4_d.down.sql', line: 1 }],
    },
    {
      name: 'a dbmate down section that does not parse, at its line in the file',
      after: {
        'db/migrations/20240101_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABEL a;\n',
      },
      errors: [{ messageId: 'syntax', line: 4 }],
    },
  ],
});
