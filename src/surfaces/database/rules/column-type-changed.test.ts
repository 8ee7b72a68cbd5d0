import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './column-type-changed.js';

ruleTable(database, rule, {
  valid: [{ name: 'no type change', after: { 'V1__a.sql': 'ALTER TABLE users ALTER COLUMN a SET DEFAULT 1;' } }],
  invalid: [
    {
      name: 'widening to text',
      after: { 'V1__a.sql': 'ALTER TABLE users ALTER COLUMN name TYPE text;' },
      errors: [{ messageId: 'safe', class: 'fully-reversible', severity: 'info', message: 'users.name TYPE text' }],
    },
    {
      name: 'int to bigint rewrites',
      after: { 'V1__a.sql': 'ALTER TABLE orders ALTER COLUMN total TYPE bigint;' },
      errors: [{ messageId: 'rewrite', class: 'reversible-with-manual-repair', message: 'orders.total TYPE int8' }],
    },
    {
      name: 'USING converts values',
      after: { 'V1__a.sql': 'ALTER TABLE orders ALTER COLUMN price TYPE numeric(10,2) USING price::numeric / 100;' },
      errors: [{ messageId: 'using', class: 'non-recoverable-without-restore', message: 'TYPE numeric(10,2) USING' }],
    },
  ],
});
