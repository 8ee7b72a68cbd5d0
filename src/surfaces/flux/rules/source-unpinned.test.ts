import { ruleTable } from '../../../testing/rule-tester.js';
import { flux } from '../index.js';
import { helmRelease } from '../testing/fixtures.js';
import rule from './source-unpinned.js';

const git = (ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: shop
  namespace: flux-system
spec:
  interval: 1m
  url: https://git.example.com/shop.git
${ref}`;
const oci = (ref: string) => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: manifests, namespace: flux-system}
spec:
  interval: 5m
  url: oci://ghcr.io/acme/manifests
${ref}`;

ruleTable(flux, rule, {
  valid: [
    { name: 'git tag', after: git('  ref:\n    tag: v1.4.0\n') },
    {
      name: 'git commit',
      after: git('  ref:\n    branch: main\n    commit: 0123456789abcdef0123456789abcdef01234567\n'),
    },
    {
      name: 'unchanged branch',
      before: git('  ref:\n    branch: main\n'),
      after: git('  ref:\n    branch: main\n  timeout: 60s\n'),
    },
    { name: 'oci digest', after: oci('  ref:\n    digest: sha256:abc\n') },
    { name: 'exact chart version', after: helmRelease() },
  ],
  invalid: [
    {
      name: 'git branch',
      after: git('  ref:\n    branch: main\n'),
      errors: [
        { messageId: 'branch', class: 'fully-reversible', severity: 'warning', line: 10, message: /branch main/ },
      ],
    },
    { name: 'git without ref', after: git(''), errors: [{ messageId: 'branch', line: 6 }] },
    { name: 'git semver', after: git("  ref:\n    semver: '>=1.0.0'\n"), errors: [{ messageId: 'range', line: 10 }] },
    { name: 'oci latest', after: oci('  ref:\n    tag: latest\n'), errors: [{ messageId: 'latest', line: 7 }] },
    {
      name: 'chart range',
      before: helmRelease(),
      after: helmRelease().replace('19.6.2', "'19.*'"),
      errors: [{ messageId: 'range', line: 11 }],
    },
  ],
});
