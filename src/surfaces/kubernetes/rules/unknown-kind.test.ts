import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../core/config-schema.js';
import { changeSetOf, memoryRepo, ruleTable } from '../../../testing/rule-tester.js';
import { assessChangeSet } from '../../../testing/engine.js';
import type { Surface } from '../../../core/surface.js';
import { kubernetes } from '../index.js';
import rule from './unknown-kind.js';

const db = (size: string) => `apiVersion: rds.aws.upbound.io/v1beta1
kind: Instance
metadata:
  name: orders
spec:
  forProvider:
    allocatedStorage: ${size}
`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'built-in kinds', after: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {}\n' },
    { name: 'custom resource unchanged', before: db('20'), after: db('20') },
    {
      name: 'kustomize build configuration is not an object',
      after: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
    },
    { name: 'custom resource moved without change', before: { 'a.yaml': db('20') }, after: { 'b.yaml': db('20') } },
  ],
  invalid: [
    {
      name: 'custom resource added',
      after: { 'infra/db.yaml': db('20') },
      errors: [
        {
          messageId: 'changed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'infra/db.yaml',
          line: 2,
          object: 'rds.aws.upbound.io/Instance/default/orders',
          message:
            'Instance default/orders (rds.aws.upbound.io/v1beta1) is added; rollwright does not know what the controller of rds.aws.upbound.io/Instance does with it',
        },
      ],
    },
    {
      name: 'custom resource changed',
      before: db('20'),
      after: db('40'),
      errors: [{ messageId: 'changed', line: 2, message: /is changed;/ }],
    },
    {
      name: 'custom resource removed',
      before: { 'infra/db.yaml': db('20') },
      after: {},
      errors: [
        {
          messageId: 'removed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'infra/db.yaml',
          line: 2,
          message: /is removed; .* on delete \(it may delete what it manages outside the cluster\)/,
        },
      ],
    },
  ],
});

describe('unknown-kind and other surfaces', () => {
  it('is silent for a kind another surface declares', async () => {
    const argo: Surface = {
      id: 'argocd',
      name: 'Argo CD',
      summary: 'test double',
      claims: () => false,
      kinds: ['argoproj.io/Application'],
      rules: [],
      async assess() {},
    };
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: argocd}\nspec: {}\n';
    const changes = changeSetOf({}, { 'apps/web.yaml': app });
    const off = Object.fromEntries(
      kubernetes.rules.filter((r) => r !== rule).map((r) => [`kubernetes/${r.id}`, 'off']),
    );
    const config = ConfigSchema.parse({ rules: off });
    const run = async (surfaces: Surface[]) =>
      (await assessChangeSet(changes, memoryRepo({}, { 'apps/web.yaml': app }), config, { surfaces })).findings.filter(
        (f) => f.rule === 'kubernetes/unknown-kind',
      );
    expect((await run([kubernetes])).map((f) => f.messageId)).toEqual(['changed']);
    expect(await run([argo, kubernetes])).toEqual([]);
  });
});
