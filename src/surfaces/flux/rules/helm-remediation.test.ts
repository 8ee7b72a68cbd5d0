import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease } from '../testing/fixtures.js';
import rule from './helm-remediation.js';

const retries = (n: number, strategy?: string) =>
  `  upgrade:\n    remediation:\n      retries: ${n}${strategy ? `\n      strategy: ${strategy}` : ''}\n`;

ruleTable(flux, rule, {
  valid: [
    { name: 'added with rollback remediation', after: helmRelease(retries(3)) },
    {
      name: 'unchanged remediation',
      before: helmRelease(retries(3)),
      after: helmRelease(retries(3)).replace('19.6.2', '19.6.3'),
    },
  ],
  invalid: [
    {
      name: 'uninstall strategy',
      before: helmRelease(retries(3)),
      after: helmRelease(retries(3, 'uninstall')),
      errors: [{ messageId: 'uninstall', class: 'reversible-with-manual-repair', severity: 'warning', line: 18 }],
    },
    {
      name: 'uninstall on an added release',
      after: helmRelease(retries(3, 'uninstall')),
      errors: [{ messageId: 'uninstall', line: 18 }],
    },
    {
      name: 'retries removed',
      before: helmRelease(retries(3)),
      after: helmRelease(retries(0)),
      errors: [{ messageId: 'none', class: 'fully-reversible', severity: 'warning', line: 16 }],
    },
    {
      name: 'retries changed',
      before: helmRelease(retries(3)),
      after: helmRelease(retries(5)),
      errors: [{ messageId: 'changed', severity: 'info', line: 16, message: /retries 5, strategy rollback/ }],
    },
    {
      name: 'rollback settings changed',
      before: helmRelease(),
      after: helmRelease('  rollback:\n    cleanupOnFail: true\n'),
      errors: [{ messageId: 'changed', line: 15, message: /cleanupOnFail: true/ }],
    },
  ],
});
