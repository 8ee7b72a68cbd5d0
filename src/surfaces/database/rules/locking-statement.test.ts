import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './locking-statement.js';

ruleTable(database, rule, {
  valid: [
    { name: 'concurrent index', after: { 'V1__a.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);' } },
    { name: 'index on a new table', after: { 'V1__a.sql': 'CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);' } },
    { name: 'constant default', after: { 'V1__a.sql': 'ALTER TABLE t ADD COLUMN a int DEFAULT 0;' } },
  ],
  invalid: [
    {
      name: 'index, volatile default, drop index',
      after: {
        'V1__a.sql':
          'CREATE INDEX orders_user ON orders (user_id);\nALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\nDROP INDEX orders_old;\nDROP INDEX CONCURRENTLY orders_older;',
      },
      errors: [
        {
          messageId: 'createIndex',
          line: 1,
          class: 'fully-reversible',
          severity: 'warning',
          message: 'CREATE INDEX orders_user on orders',
        },
        { messageId: 'rewrite', line: 2 },
        { messageId: 'dropIndex', line: 3, message: 'orders_old' },
        { messageId: 'dropIndexConcurrently', line: 4, severity: 'info' },
      ],
    },
  ],
});
