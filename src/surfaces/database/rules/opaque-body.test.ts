import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import contract from './contract-statement.js';
import rule from './opaque-body.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'a MySQL procedure that renames an index only where it exists (a prepared ALTER TABLE ... RENAME INDEX template), called and dropped',
      after: {
        'db/mysql/migrations/05_a/migration.sql':
          "CREATE PROCEDURE `ren`(IN t VARCHAR(64), IN a VARCHAR(64), IN b VARCHAR(64))\nBEGIN\n  SET @q = CONCAT('ALTER TABLE `', t, '` RENAME INDEX `', a, '` TO `', b, '`;');\n  IF 1 THEN\n    PREPARE stmt FROM @q;\n    EXECUTE stmt;\n    DEALLOCATE PREPARE stmt;\n  END IF;\nEND;\nCALL ren('account', 'username', 'account_username_key');\nDROP PROCEDURE `ren`;",
      },
    },
    {
      name: 'a DO block of plain statements is assessed statement by statement',
      after: { 'V1__a.sql': "DO $$\nBEGIN\n  IF true THEN\n    RAISE NOTICE 'x';\n  END IF;\nEND\n$$;\n" },
    },
    {
      name: 'a function that only reads',
      after: { 'V1__a.sql': 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n' },
    },
  ],
  invalid: [
    {
      name: 'dynamic SQL in a DO block',
      after: {
        'V1__a.sql':
          "DO $$\nDECLARE t text;\nBEGIN\n  FOR t IN SELECT 1 LOOP\n    EXECUTE format('DROP TABLE %I', t);\n  END LOOP;\nEND\n$$;\n",
      },
      errors: [
        {
          messageId: 'doBlock',
          line: 5,
          class: 'non-recoverable-without-restore',
          severity: 'error',
          message: "DO block: dynamic SQL: EXECUTE format('DROP TABLE %I', t): not assessed",
        },
      ],
    },
    {
      name: 'a function whose body drops a table',
      after: {
        'V1__a.sql':
          'CREATE FUNCTION cleanup() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DROP TABLE legacy;\nEND\n$$;\n',
      },
      errors: [
        {
          messageId: 'functionBody',
          line: 1,
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: 'function cleanup: DROP TABLE legacy: the body changes the schema',
        },
      ],
    },
    {
      name: 'a MySQL procedure whose body deletes rows, or runs a prepared statement whose template is not an index rename',
      after: {
        'db/mysql/migrations/05_a/migration.sql': [
          'CREATE PROCEDURE `purge`()\nBEGIN\n  DELETE FROM `session` WHERE `created_at` < NOW();\nEND;',
          "CREATE PROCEDURE `dyn`(IN t VARCHAR(64))\nBEGIN\n  SET @q = CONCAT('DROP TABLE `', t, '`');\n  PREPARE s FROM @q;\n  EXECUTE s;\nEND;",
        ].join('\n'),
      },
      errors: [
        { messageId: 'functionBody', line: 1, severity: 'warning', message: 'procedure purge: DELETE FROM' },
        { messageId: 'functionBody', line: 5, severity: 'warning', message: 'procedure dyn: EXECUTE s' },
      ],
    },
  ],
});

// The statements of a DO block are the migration's own: a DROP TABLE in one is a DROP TABLE.
ruleTable(database, contract, {
  valid: [],
  invalid: [
    {
      name: 'DROP TABLE inside a DO block, at its line',
      after: { 'V2__b.sql': 'DO $$\nBEGIN\n  IF true THEN\n    DROP TABLE legacy;\n  END IF;\nEND\n$$;\n' },
      errors: [{ messageId: 'dropTable', line: 4, class: 'non-recoverable-without-restore' }],
    },
  ],
});
