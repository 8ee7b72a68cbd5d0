import { ruleTable } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule from './helm-chart-changed.js';

const k = (chart: string) => ({
  'apps/podinfo/kustomization.yaml': `namespace: web\nhelmCharts:\n  - name: ingress-nginx\n    repo: https://kubernetes.github.io/ingress-nginx\n    version: 4.10.0\n    releaseName: edge\n${chart}`,
});
const entry = (name: string, version: string, repo = 'https://stefanprodan.github.io/podinfo', release = '') =>
  `  - name: ${name}\n    repo: ${repo}\n    version: ${version}\n${release ? `    releaseName: ${release}\n` : ''}`;

ruleTable(kustomize, rule, {
  valid: [
    {
      name: 'unchanged chart, values changed',
      before: k(entry('podinfo', '6.5.0')),
      after: k(`${entry('podinfo', '6.5.0')}    valuesInline: {replicaCount: 2}\n`),
    },
    { name: 'a chart added', before: k(''), after: k(entry('podinfo', '6.5.0')) },
    {
      name: 'a kustomization without helmCharts',
      before: { 'a/kustomization.yaml': 'resources: []\n' },
      after: { 'a/kustomization.yaml': 'resources: [x.yaml]\n' },
    },
  ],
  invalid: [
    {
      name: 'major bump',
      before: k(entry('podinfo', '5.2.1')),
      after: k(entry('podinfo', '6.5.0')),
      errors: [
        {
          messageId: 'major',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'apps/podinfo/kustomization.yaml',
          line: 9,
          message: /helm chart podinfo \(release podinfo\) moves 5\.2\.1 → 6\.5\.0 \(major\)/,
        },
      ],
    },
    {
      name: 'minor bump',
      before: k(entry('podinfo', '6.4.0')),
      after: k(entry('podinfo', '6.5.0')),
      errors: [{ messageId: 'minor', class: 'fully-reversible', severity: 'info', message: /\(minor\)/ }],
    },
    {
      name: 'a minor bump under major version zero: SemVer lets anything change before 1.0, a compatibility window like a major',
      before: k(entry('karpenter', '0.27.3')),
      after: k(entry('karpenter', '0.28.0')),
      errors: [
        {
          messageId: 'major',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          message: /moves 0\.27\.3 → 0\.28\.0 \(a 0\.x minor, which may break anything before 1\.0\)/,
        },
      ],
    },
    {
      name: 'patch bump of the release named explicitly, next to an unchanged chart',
      before: k(entry('podinfo', '6.5.0', undefined, 'web')),
      after: k(entry('podinfo', '6.5.1', undefined, 'web')),
      errors: [{ messageId: 'minor', line: 9, message: /release web\) moves 6\.5\.0 → 6\.5\.1 \(patch\)/ }],
    },
    {
      name: 'downgrade',
      before: k(entry('podinfo', '6.5.1')),
      after: k(entry('podinfo', '6.5.0')),
      errors: [{ messageId: 'downgrade', severity: 'warning', message: /moves back 6\.5\.1 → 6\.5\.0/ }],
    },
    {
      name: 'repository moved (OCI)',
      before: k(entry('podinfo', '6.5.0')),
      after: k(entry('podinfo', '6.5.0', 'oci://ghcr.io/stefanprodan/charts')),
      errors: [
        {
          messageId: 'repo',
          severity: 'warning',
          line: 8,
          message: /now comes from oci:\/\/ghcr\.io\/stefanprodan\/charts/,
        },
      ],
    },
    {
      name: 'another chart under the same release name',
      before: k(entry('podinfo', '6.5.0', undefined, 'web')),
      after: k(entry('nginx', '15.0.0', undefined, 'web')),
      errors: [
        {
          messageId: 'chart',
          class: 'reversible-with-manual-repair',
          line: 7,
          message: /release web now inflates chart nginx instead of podinfo/,
        },
      ],
    },
    {
      name: 'version pinned from latest',
      before: k('  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n'),
      after: k(entry('podinfo', '6.5.0')),
      errors: [{ messageId: 'minor', message: /\(latest\) → 6\.5\.0 \(other\)/ }],
    },
  ],
});
