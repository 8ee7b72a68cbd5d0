import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { semverDistance } from '../model.js';
import { chart } from '../testing/fixtures.js';
import rule from './chart-version-changed.js';

const hr = (v: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: redis, namespace: cache}
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      version: ${v}
      sourceRef: {kind: HelmRepository, name: bitnami}
`;
const ociSource = (tag: string, extra = '') => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata: {name: postgresql, namespace: data}
spec:
  interval: 1h
  url: oci://registry-1.docker.io/bitnamicharts/postgresql
  ref:
    tag: ${tag}
${extra}`;
const chartRefRelease = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: db, namespace: data}
spec:
  interval: 10m
  chartRef: {kind: OCIRepository, name: postgresql}
`;
const app = (v: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: ingress, namespace: argocd}
spec:
  source:
    repoURL: https://kubernetes.github.io/ingress-nginx
    chart: ingress-nginx
    targetRevision: ${v}
`;

ruleTable(helm, rule, {
  valid: [
    {
      name: 'an OCIRepository no HelmRelease chartRef names (manifests, not a chart)',
      before: { 'apps/db/source.yaml': ociSource('15.5.38') },
      after: { 'apps/db/source.yaml': ociSource('16.0.1') },
    },
    {
      name: 'a chartRef names another OCIRepository',
      before: { 'apps/db/source.yaml': ociSource('15.5.38') },
      after: { 'apps/db/source.yaml': ociSource('16.0.1') },
      unchanged: { 'apps/db/release.yaml': chartRefRelease.replace('name: postgresql', 'name: other') },
    },
    {
      name: 'same version',
      before: { 'c/Chart.yaml': chart('1.0.0') },
      after: { 'c/Chart.yaml': chart('1.0.0').replace('"2.0"', '"2.1"') },
    },
    { name: 'a HelmRelease added', after: hr('19.6.2') },
  ],
  invalid: [
    {
      name: "a HelmRelease's chartRef OCIRepository moves a major (the HelmRelease unchanged)",
      before: { 'apps/db/source.yaml': ociSource('15.5.38') },
      after: { 'apps/db/source.yaml': ociSource('16.0.1') },
      unchanged: { 'apps/db/release.yaml': chartRefRelease },
      errors: [
        {
          messageId: 'major',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          line: 8,
          message:
            /OCIRepository data\/postgresql chart registry-1.docker.io\/bitnamicharts\/postgresql moves 15.5.38 → 16.0.1/,
        },
      ],
    },
    {
      name: 'an OCIRepository selecting the Helm chart layer, minor',
      before: ociSource(
        '15.5.38',
        "  layerSelector: {mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'}\n",
      ),
      after: ociSource(
        '15.6.0',
        "  layerSelector: {mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'}\n",
      ),
      errors: [{ messageId: 'minor', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: 'chart major bump',
      before: { 'c/Chart.yaml': chart('1.4.0') },
      after: { 'c/Chart.yaml': chart('2.0.0') },
      errors: [
        {
          messageId: 'major',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'c/Chart.yaml',
          line: 1,
          message: /chart shop moves 1\.4\.0 → 2\.0\.0 \(major\)/,
        },
      ],
    },
    {
      name: 'a 0.x minor bump of a dependency (SemVer: anything may change before 1.0), and one over several 0.x minors in a HelmRelease: judged as a major',
      before: {
        'c/Chart.yaml': chart(
          '1.0.0',
          'dependencies:\n  - {name: karpenter, version: 0.27.3, repository: oci://public.ecr.aws/karpenter}\n',
        ),
        'r.yaml': hr('0.3.2'),
      },
      after: {
        'c/Chart.yaml': chart(
          '1.0.0',
          'dependencies:\n  - {name: karpenter, version: 0.28.0, repository: oci://public.ecr.aws/karpenter}\n',
        ),
        'r.yaml': hr('0.9.0'),
      },
      errors: [
        {
          messageId: 'major',
          class: 'reversible-with-compatibility-window',
          severity: 'warning',
          file: 'c/Chart.yaml',
          message:
            'dependency karpenter of chart shop moves 0.27.3 → 0.28.0 (a 0.x minor, which may break anything before 1.0): values, names or CRDs may change incompatibly; a rollback may need repair',
        },
        { messageId: 'major', file: 'r.yaml', message: /moves 0\.3\.2 → 0\.9\.0 \(a 0\.x minor/ },
      ],
    },
    {
      name: "a 0.x patch bump, a 1.x minor bump, and a 0.x minor of the chart's own version (its templates are in the repository, assessed themselves): information",
      before: { 'c/Chart.yaml': chart('0.8.1'), 'd/Chart.yaml': chart('0.3.1'), 'r.yaml': hr('1.2.0') },
      after: { 'c/Chart.yaml': chart('0.8.2'), 'd/Chart.yaml': chart('0.4.0'), 'r.yaml': hr('1.3.0') },
      errors: [
        { messageId: 'minor', class: 'fully-reversible', file: 'c/Chart.yaml', message: /\(patch\)/ },
        { messageId: 'minor', class: 'fully-reversible', file: 'd/Chart.yaml', message: /0\.3\.1 → 0\.4\.0 \(minor\)/ },
        { messageId: 'minor', class: 'fully-reversible', file: 'r.yaml', message: /\(minor\)/ },
      ],
    },
    {
      name: 'chart patch bump',
      before: { 'c/Chart.yaml': chart('1.4.0') },
      after: { 'c/Chart.yaml': chart('1.4.1') },
      errors: [{ messageId: 'minor', class: 'fully-reversible', message: /\(patch\)/ }],
    },
    {
      name: 'dependency bump',
      before: {
        'c/Chart.yaml': chart(
          '1.0.0',
          'dependencies:\n  - {name: postgresql, version: 15.5.0, repository: oci://registry-1.docker.io/bitnamicharts}\n',
        ),
      },
      after: {
        'c/Chart.yaml': chart(
          '1.0.0',
          'dependencies:\n  - {name: postgresql, version: 16.0.0, repository: oci://registry-1.docker.io/bitnamicharts}\n',
        ),
      },
      errors: [{ messageId: 'major', message: /dependency postgresql of chart shop/ }],
    },
    {
      name: 'HelmRelease downgrade',
      before: hr('19.6.2'),
      after: hr('19.5.0'),
      errors: [{ messageId: 'downgrade', line: 9, object: 'helm.toolkit.fluxcd.io/HelmRelease/cache/redis' }],
    },
    {
      name: 'Argo CD chart major',
      before: app('4.11.0'),
      after: app('5.0.0'),
      errors: [{ messageId: 'major', line: 8 }],
    },
  ],
});

describe('semverDistance', () => {
  it('measures', () => {
    expect(semverDistance('1.2.3', '1.3.0')).toEqual({ level: 'minor', down: false, breaking: false });
    expect(semverDistance('v2.0.0', '1.9.9')).toEqual({ level: 'major', down: true, breaking: true });
    expect(semverDistance('v0.21.1', 'v0.29.0')).toEqual({ level: 'minor', down: false, breaking: true });
    expect(semverDistance('0.29.0', '0.21.1')).toEqual({ level: 'minor', down: true, breaking: true });
    expect(semverDistance('0.8.1', '0.8.2')).toEqual({ level: 'patch', down: false, breaking: false });
    expect(semverDistance('0.9.0', '1.0.0')).toEqual({ level: 'major', down: false, breaking: true });
    expect(semverDistance('latest', '1.0.0').level).toBe('other');
    // With a controller's known breaking 0.x minors: breaking only across one of them.
    const listed = ['0.28', '0.32'];
    expect(semverDistance('0.29.0', '0.31.4', listed)).toEqual({ level: 'minor', down: false, breaking: false });
    expect(semverDistance('v0.21.1', 'v0.29.0', listed)).toEqual({
      level: 'minor',
      down: false,
      breaking: true,
      crosses: '0.28',
    });
    expect(semverDistance('0.32.1', '0.31.4', listed)).toEqual({
      level: 'minor',
      down: true,
      breaking: true,
      crosses: '0.32',
    });
    expect(semverDistance('0.28.0', '0.29.0', listed).breaking).toBe(false);
    expect(semverDistance('0.31.0', '1.0.0', listed)).toEqual({ level: 'major', down: false, breaking: true });
  });
});
