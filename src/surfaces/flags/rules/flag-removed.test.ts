import { ruleTable } from '../../../testing/rule-tester.js';
import { flags } from '../index.js';
import rule from './flag-removed.js';

const file = (keys: string[]) =>
  JSON.stringify(
    {
      flags: Object.fromEntries(
        keys.map((k) => [k, { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' }]),
      ),
    },
    null,
    2,
  );

ruleTable(flags, rule, {
  valid: [
    {
      name: 'a flag added',
      before: { 'flags/flags.json': file(['a']) },
      after: { 'flags/flags.json': file(['a', 'b']) },
    },
  ],
  invalid: [
    {
      name: 'a flag removed',
      before: { 'flags/flags.json': file(['a', 'b']) },
      after: { 'flags/flags.json': file(['a']) },
      errors: [
        {
          messageId: 'removed',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'flags/flags.json',
          line: 1,
          message: /flag b is removed/,
        },
      ],
    },
    {
      name: 'the file deleted',
      before: { 'flags/flags.json': file(['a']) },
      after: {},
      errors: [{ messageId: 'removed', line: 3 }],
    },
  ],
});
