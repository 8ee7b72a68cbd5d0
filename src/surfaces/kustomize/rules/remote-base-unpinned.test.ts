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
      name: 'a release asset URL is pinned by its tag (a tag bump is no smell)',
      before: f('https://github.com/kyverno/kyverno/releases/download/v1.10.7/install.yaml'),
      after: f('https://github.com/kyverno/kyverno/releases/download/v1.11.0/install.yaml'),
    },
    {
      name: 'a raw file URL is pinned by the tag in its path',
      after: f('https://raw.githubusercontent.com/kyverno/kyverno/v1.3.0-rc11/definitions/release/install.yaml'),
    },
    {
      name: 'a raw file URL pinned to a commit',
      after: f('https://raw.githubusercontent.com/acme/base/0123456789abcdef0123456789abcdef01234567/app/deploy.yaml'),
    },
    {
      name: 'unchanged remote',
      before: f('github.com/acme/base//app'),
      after: { 'a/kustomization.yaml': `${k('github.com/acme/base//app')}namespace: x\n` },
    },
  ],
  invalid: [
    {
      name: 'a raw file URL on a branch moves',
      after: f('https://raw.githubusercontent.com/acme/base/main/app/deploy.yaml'),
      errors: [{ messageId: 'branch', class: 'fully-reversible', severity: 'warning', message: /pinned to main/ }],
    },
    {
      name: 'the latest release moves',
      after: f('https://github.com/acme/base/releases/latest/download/install.yaml'),
      errors: [{ messageId: 'branch', message: /pinned to latest/ }],
    },
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
