import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './enum-value-added.js';

ruleTable(database, rule, {
  valid: [{ name: 'create enum', after: { 'V1__a.sql': "CREATE TYPE mood AS ENUM ('ok');" } }],
  invalid: [
    {
      name: 'ADD VALUE is forward-only',
      after: { 'V2__a.sql': "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';" },
      errors: [
        {
          messageId: 'added',
          class: 'forward-only',
          line: 1,
          message: "ALTER TYPE order_status ADD VALUE 'refunded': enum values cannot be removed",
        },
      ],
    },
    {
      name: 'RENAME VALUE',
      after: { 'V2__a.sql': "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';" },
      errors: [{ messageId: 'renamed', class: 'forward-only', message: 'sad -> blue' }],
    },
  ],
});
