import { ruleTable } from '../../../testing/rule-tester.js';
import { database } from '../index.js';
import rule from './concurrent-index-in-transaction.js';

const cic = 'CREATE INDEX CONCURRENTLY users_nick ON users (nickname);';

ruleTable(database, rule, {
  valid: [
    {
      name: 'golang-migrate, alone in its file',
      after: { 'm/4_idx.up.sql': cic, 'm/4_idx.down.sql': 'DROP INDEX users_nick;' },
    },
    {
      name: 'dbmate with transaction:false',
      after: {
        'db/migrations/20240101_idx.sql': `-- migrate:up transaction:false\n${cic}\n-- migrate:down\nDROP INDEX users_nick;\n`,
      },
    },
    {
      name: 'sqitch runs the script as written',
      after: { 'deploy/idx.sql': `${cic}\nSELECT 1;`, 'revert/idx.sql': 'DROP INDEX users_nick;' },
    },
  ],
  invalid: [
    {
      name: 'explicit BEGIN',
      after: { 'deploy/idx.sql': `BEGIN;\n${cic}\nCOMMIT;`, 'revert/idx.sql': 'SELECT 1;' },
      errors: [{ messageId: 'explicit', line: 2, severity: 'error', message: 'inside BEGIN (line 1)' }],
    },
    {
      name: 'golang-migrate file with another statement (implicit transaction)',
      after: {
        'm/4_idx.up.sql': `ALTER TABLE users ADD COLUMN nickname text;\n${cic}`,
        'm/4_idx.down.sql': 'SELECT 1;',
      },
      errors: [{ messageId: 'framework', line: 2, message: 'implicit transaction' }],
    },
    {
      name: 'dbmate wraps in a transaction by default',
      after: { 'db/migrations/20240101_idx.sql': `-- migrate:up\n${cic}\n-- migrate:down\nDROP INDEX users_nick;\n` },
      errors: [{ messageId: 'framework', line: 2, message: 'dbmate runs each migration in a transaction' }],
    },
  ],
});
