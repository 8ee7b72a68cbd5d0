import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule, { remoteRef } from './remote-base-unpinned.js';

const k = (res: string) => `resources:\n  - deployment.yaml\n  - ${res}\n`;
const f = (res: string) => ({ 'a/kustomization.yaml': k(res) });

ruleTable(kustomize, rule, {
  valid: [
    { name: 'pinned to a tag', after: f('https://github.com/acme/base//app?ref=v1.2.0') },
    { name: 'pinned to a commit', after: f('github.com/acme/base//app?ref=0123456789abcdef0123456789abcdef01234567') },
    { name: 'local base', after: f('../base') },
    {
      name: 'unchanged remote',
      before: f('github.com/acme/base//app'),
      after: { 'a/kustomization.yaml': `${k('github.com/acme/base//app')}namespace: x\n` },
    },
  ],
  invalid: [
    {
      name: 'no ref',
      after: f('github.com/acme/base//app'),
      errors: [
        {
          messageId: 'unpinned',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'a/kustomization.yaml',
          line: 3,
        },
      ],
    },
    {
      name: 'branch ref',
      after: f('https://github.com/acme/base//app?ref=main'),
      errors: [{ messageId: 'branch', line: 3, message: /pinned to main/ }],
    },
  ],
});

describe('remoteRef', () => {
  it('reads ref and version', () => {
    expect(remoteRef('github.com/a/b?ref=v1')).toBe('v1');
    expect(remoteRef('https://x.example/a?version=v2')).toBe('v2');
    expect(remoteRef('github.com/a/b')).toBeUndefined();
  });
});
