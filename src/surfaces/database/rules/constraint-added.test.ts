import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './constraint-added.js';

ruleTable(database, rule, {
  valid: [
    {
      name: 'NOT VALID is the expand path',
      after: { 'V1__a.sql': 'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;' },
    },
    {
      name: 'constraints on a table created in the same release',
      after: {
        'V1__a.sql':
          'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);',
      },
    },
  ],
  invalid: [
    {
      name: 'SET NOT NULL, validated check, required column, validate',
      after: {
        'V1__a.sql': [
          'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
          'ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0);',
          'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
          'ALTER TABLE users VALIDATE CONSTRAINT users_fk;',
        ].join('\n'),
      },
      errors: [
        {
          messageId: 'setNotNull',
          line: 1,
          class: 'reversible-with-compatibility-window',
          message: 'SET NOT NULL on users.email',
        },
        {
          messageId: 'addValidated',
          line: 2,
          message: 'constraint age_positive (check) on users added without NOT VALID',
        },
        { messageId: 'requiredColumn', line: 3, class: 'reversible-with-manual-repair', severity: 'error' },
        { messageId: 'validate', line: 4, class: 'fully-reversible', severity: 'info' },
      ],
    },
  ],
});
