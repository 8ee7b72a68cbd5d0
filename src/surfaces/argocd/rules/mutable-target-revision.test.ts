import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { argocd } from '../index.js';
import { app } from '../testing/fixtures.js';
import rule, { revisionKind } from './mutable-target-revision.js';

const src = (rev: string | undefined, extra = '') =>
  `    repoURL: https://git.example.com/shop.git\n    path: clusters/prod${rev === undefined ? '' : `\n    targetRevision: ${rev}`}${extra}`;
const chart = (rev: string) => `    repoURL: https://charts.example.com\n    chart: shop\n    targetRevision: "${rev}"`;

ruleTable(argocd, rule, {
  valid: [
    { name: 'a tag', after: app({ source: src('v1.2.0') }) },
    { name: 'a commit', after: app({ source: src('0123456789abcdef0123456789abcdef01234567') }) },
    { name: 'an exact chart version', after: app({ source: chart('4.11.2') }) },
    { name: 'a placeholder', after: app({ source: src("'{{values.revision}}'") }) },
    {
      name: 'an unchanged branch source when something else changes',
      before: app({ source: src('main') }),
      after: app({ source: src('main') }).replace('namespace: shop', 'namespace: shop2'),
    },
  ],
  invalid: [
    {
      name: 'HEAD',
      after: app({ source: src('HEAD') }),
      errors: [{ messageId: 'head', class: 'fully-reversible', severity: 'warning', line: 11 }],
    },
    {
      name: 'targetRevision omitted defaults to HEAD',
      after: app({ source: src(undefined) }),
      errors: [{ messageId: 'head', line: 9, message: /\(omitted: HEAD\)/ }],
    },
    {
      name: 'a branch',
      before: app({ source: src('v1.2.0') }),
      after: app({ source: src('main') }),
      errors: [{ messageId: 'branch', line: 11, message: /branch main/ }],
    },
    { name: 'a chart range', after: app({ source: chart('4.*') }), errors: [{ messageId: 'range', line: 11 }] },
  ],
});

describe('revisionKind', () => {
  it('tells pinned from moving revisions', () => {
    expect(revisionKind('refs/heads/release-1', false)).toBe('branch');
    expect(revisionKind('feature-x', false)).toBe('unknown');
    expect(revisionKind('>=1.0.0', true)).toBe('range');
    expect(revisionKind('1.2.3', true)).toBe('pinned');
  });
});
