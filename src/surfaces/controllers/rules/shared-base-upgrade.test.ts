import { ruleTable } from '../../../testing/rule-tester.js';
import { controllers } from '../index.js';
import { certManager } from '../testing/fixtures.js';
import rule from './shared-base-upgrade.js';

const kustomization = (...resources: string[]) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join('')}`;
const envs = {
  'clusters/prod/kustomization.yaml': kustomization('../../infrastructure/cert-manager'),
  'clusters/staging/kustomization.yaml': kustomization('../../infrastructure/cert-manager'),
  'clusters/dev/kustomization.yaml': kustomization('../../infrastructure/cert-manager'),
};
const base = { 'infrastructure/cert-manager/kustomization.yaml': kustomization('cert-manager.yaml') };
const fluxKs = (path: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n`;

ruleTable(controllers, rule, {
  valid: [
    {
      name: 'staging pins its own version in an overlay: a ring',
      after: {
        ...base,
        ...envs,
        'clusters/staging/kustomization.yaml': `${kustomization('../../infrastructure/cert-manager')}images:\n  - name: quay.io/jetstack/cert-manager-controller\n    newTag: v1.15.0\n`,
        'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4'),
      },
    },
    {
      name: 'one environment builds the base',
      after: {
        ...base,
        'clusters/prod/kustomization.yaml': kustomization('../../infrastructure/cert-manager'),
        'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4'),
      },
    },
    {
      name: 'the version is in an environment folder, not a shared base',
      after: {
        'clusters/prod/cert-manager.yaml': certManager('v1.14.4'),
        'clusters/staging/cert-manager.yaml': certManager('v1.14.4'),
      },
    },
    {
      name: 'a shared base no environment builds',
      after: { ...base, 'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4') },
    },
    {
      name: 'the change does not touch the version',
      unchanged: { ...base, ...envs },
      before: { 'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4') },
      after: {
        'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4').replace(
          'name: controller',
          'name: manager',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'three environments include the same base, none pins a version',
      after: { ...base, ...envs, 'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4') },
      errors: [
        {
          messageId: 'shared',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'infrastructure/cert-manager/cert-manager.yaml',
          line: 11,
          message:
            'cert-manager image quay.io/jetstack/cert-manager-controller v1.14.4 is set in a base that 3 environments build (dev, prod, staging) and none pins its own version',
        },
      ],
    },
    {
      name: 'Flux Kustomizations of two clusters point at one directory without a kustomization.yaml',
      after: {
        'clusters/prod/infra.yaml': fluxKs('./infrastructure/controllers'),
        'clusters/staging/infra.yaml': fluxKs('./infrastructure/controllers'),
        'infrastructure/controllers/cert-manager.yaml': certManager('v1.15.0'),
      },
      errors: [{ messageId: 'shared', line: 11, message: /2 environments build \(prod, staging\)/ }],
    },
    {
      name: 'a change that bumps the version in the shared base',
      unchanged: { ...base, ...envs },
      before: { 'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.14.4') },
      after: { 'infrastructure/cert-manager/cert-manager.yaml': certManager('v1.15.0') },
      errors: [{ messageId: 'shared', line: 11, message: /v1\.15\.0 is set in a base that 3 environments build/ }],
    },
  ],
});
