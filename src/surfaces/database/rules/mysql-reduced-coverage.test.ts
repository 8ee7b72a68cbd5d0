import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './mysql-reduced-coverage.js';

ruleTable(database, rule, {
  valid: [{ name: 'PostgreSQL', after: { 'migrations/1_a.up.sql': 'ALTER TABLE a ADD COLUMN b text;' } }],
  invalid: [
    {
      name: 'MySQL dialect detected when PostgreSQL cannot parse it',
      after: { 'migrations/V1__a.sql': 'CREATE TABLE `a` (id int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n' },
      errors: [
        {
          messageId: 'reduced',
          class: 'fully-reversible',
          severity: 'info',
          line: 1,
          message: 'configured dialect: postgres',
        },
      ],
    },
    {
      name: 'configured MySQL',
      config: { database: { dialect: 'mysql' } },
      after: { 'migrations/V1__a.sql': 'ALTER TABLE users DROP COLUMN email;\n' },
      errors: [{ messageId: 'reduced', message: 'configured dialect: mysql' }],
    },
  ],
});
