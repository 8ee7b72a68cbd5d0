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

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.ops.example.com
spec:
  group: ops.example.com
  names: {kind: Backup, plural: backups, singular: backup}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true}]
`;
const backup = (schedule: string) =>
  `apiVersion: ops.example.com/v1\nkind: Backup\nmetadata: {name: nightly, namespace: data}\nspec: {schedule: "${schedule}"}\n`;
const withFinalizers = (f: string) => db('20').replace('  name: orders\n', `  name: orders\n  finalizers: [${f}]\n`);

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'built-in kinds', after: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {}\n' },
    { name: 'custom resource unchanged', before: db('20'), after: db('20') },
    {
      name: 'kustomize build configuration is not an object',
      after: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n',
    },
    { name: 'custom resource moved without change', before: { 'a.yaml': db('20') }, after: { 'b.yaml': db('20') } },
    {
      name: 'a catalogue kind (cert-manager ClusterIssuer) added',
      after: 'apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: le}\nspec: {acme: {server: x}}\n',
    },
    {
      name: 'a catalogue kind (Gateway API HTTPRoute) changed',
      before:
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec: {hostnames: [a]}\n',
      after:
        'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\nspec: {hostnames: [b]}\n',
    },
    {
      name: 'a catalogue kind (ServiceMonitor) removed',
      before: 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web}\nspec: {}\n',
      after: {},
    },
    {
      name: 'a kind in a catalogue group listed as every kind (Cilium)',
      after: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: deny}\nspec: {}\n',
    },
    {
      name: 'Argo Workflows Workflow is a catalogue kind',
      after: 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: wf}\nspec: {}\n',
    },
    {
      name: 'a kind whose CRD is in the same change',
      after: { 'crds/backup.yaml': crd, 'apps/backup.yaml': backup('0 2 * * *') },
    },
    {
      name: 'a kind whose CRD is elsewhere in the repository (not changed)',
      before: { 'crds/backup.yaml': crd, 'apps/backup.yaml': backup('0 2 * * *') },
      after: { 'crds/backup.yaml': crd, 'apps/backup.yaml': backup('0 3 * * *') },
    },
    {
      name: 'a generateName object (created anew on each apply) is never updated or deleted',
      before: 'apiVersion: batch.example.io/v1\nkind: Run\nmetadata: {generateName: run-}\nspec: {a: 1}\n',
      after: {},
    },
  ],
  invalid: [
    {
      name: 'custom resource of an unknown kind added: information, class untouched',
      after: { 'infra/db.yaml': db('20') },
      errors: [
        {
          messageId: 'changed',
          class: 'fully-reversible',
          severity: 'info',
          file: 'infra/db.yaml',
          line: 2,
          object: 'rds.aws.upbound.io/Instance/default/orders',
          message:
            /^Instance default\/orders \(rds.aws.upbound.io\/v1beta1\) is added; rds.aws.upbound.io\/Instance is a kind rollwright does not model/,
        },
      ],
    },
    {
      name: 'custom resource of an unknown kind changed: information',
      before: db('20'),
      after: db('40'),
      errors: [{ messageId: 'changed', severity: 'info', class: 'fully-reversible', line: 2, message: /is changed;/ }],
    },
    {
      name: 'custom resource removed: held',
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
    {
      name: 'custom resource renamed: a delete and a create for its controller',
      before: { 'infra/db.yaml': db('20') },
      after: { 'infra/db.yaml': db('20').replace('name: orders', 'name: orders-v2') },
      errors: [
        {
          messageId: 'renamed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 3,
          object: 'rds.aws.upbound.io/Instance/default/orders',
          message: /becomes Instance default\/orders-v2: for the controller .* a delete and a create/,
        },
      ],
    },
    {
      name: 'custom resource moved to another namespace',
      before: db('20'),
      after: db('20').replace('  name: orders\n', '  name: orders\n  namespace: billing\n'),
      errors: [{ messageId: 'renamed', message: /becomes Instance billing\/orders/ }],
    },
    {
      name: 'finalizers of an unknown kind removed: held',
      before: withFinalizers('finalizer.managedresource.crossplane.io'),
      after: db('20'),
      errors: [
        {
          messageId: 'finalizers',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /changes its finalizers \(finalizer.managedresource.crossplane.io to none\)/,
        },
      ],
    },
    {
      name: 'a kind whose CRD defines another group is still unknown',
      after: {
        'crds/backup.yaml': crd,
        'apps/x.yaml': backup('1').replace('ops.example.com/v1', 'ops.example.org/v1'),
      },
      errors: [{ messageId: 'changed', severity: 'info' }],
    },
    {
      name: 'a kind defined in the repository, removed: held (its controller is not modelled)',
      before: { 'crds/backup.yaml': crd, 'apps/backup.yaml': backup('0 2 * * *') },
      after: { 'crds/backup.yaml': crd },
      errors: [{ messageId: 'removed', class: 'reversible-with-manual-repair' }],
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
      kinds: ['rds.aws.upbound.io/Instance'],
      rules: [],
      async assess() {},
    };
    const app = db('20');
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
