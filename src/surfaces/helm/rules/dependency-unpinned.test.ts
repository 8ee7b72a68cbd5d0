import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import rule from './dependency-unpinned.js';

const chart = (deps: string) => `apiVersion: v2\nname: shop\nversion: 1.0.0\ndependencies:\n${deps}`;
const dep = (name: string, version: string | undefined, repository = 'https://charts.bitnami.com/bitnami') =>
  `  - name: ${name}\n${version === undefined ? '' : `    version: "${version}"\n`}    repository: ${repository}\n`;
const lock =
  'dependencies:\n- name: postgresql\n  repository: https://charts.bitnami.com/bitnami\n  version: 12.5.8\ndigest: sha256:0000\ngenerated: "2024-01-01T00:00:00Z"\n';

ruleTable(helm, rule, {
  valid: [
    { name: 'an exact version', after: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '12.5.8')) } },
    { name: 'an exact version with v and a pre-release', after: { 'Chart.yaml': chart(dep('redis', 'v18.0.0-rc.1')) } },
    {
      name: 'a local dependency: versioned by the commit',
      after: { 'charts/shop/Chart.yaml': chart(dep('common', '^1.0.0', 'file://../common')) },
    },
    {
      name: 'a range the base already had: not this change',
      before: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '^12.0.0')) },
      after: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '^12.0.0')).replace('1.0.0', '1.0.1') },
    },
    { name: 'no dependencies', after: { 'charts/shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n' } },
  ],
  invalid: [
    {
      name: 'a caret range and no Chart.lock',
      after: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '^12.5.0')) },
      errors: [
        {
          messageId: 'range',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'charts/shop/Chart.yaml',
          line: 6,
          message: 'dependency postgresql of chart shop takes version ^12.5.0, a range, and no Chart.lock is committed',
        },
      ],
    },
    {
      name: 'a range with a committed Chart.lock is info',
      after: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '~12.5.0')) },
      unchanged: { 'charts/shop/Chart.lock': lock },
      errors: [
        {
          messageId: 'rangeLocked',
          severity: 'info',
          line: 6,
          message: /charts\/shop\/Chart\.lock records what it resolved to/,
        },
      ],
    },
    {
      name: 'x, >=, *, a partial version and a missing one',
      after: {
        'Chart.yaml': chart(
          dep('a', '1.x') +
            dep('b', '>=1.0.0') +
            dep('c', '*') +
            dep('d', '2.1') +
            dep('e', undefined, 'oci://registry.example.com/charts'),
        ),
      },
      errors: [
        { messageId: 'range', line: 6, message: /dependency a .* 1\.x/ },
        { messageId: 'range', line: 9, message: />=1\.0\.0/ },
        { messageId: 'range', line: 12, message: /version \*/ },
        { messageId: 'range', line: 15, message: /version 2\.1,/ },
        { messageId: 'missing', line: 17, message: 'dependency e of chart shop has no version' },
      ],
    },
    {
      name: 'a pin loosened to a range in a change',
      before: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '12.5.8')) },
      after: { 'charts/shop/Chart.yaml': chart(dep('postgresql', '12.x')) },
      errors: [{ messageId: 'range', line: 6 }],
    },
  ],
});
