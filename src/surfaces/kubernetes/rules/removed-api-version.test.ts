import { describe, expect, it } from 'vitest';
import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import { REMOVED_APIS, removedAt } from '../data/removed-apis.js';
import rule from './removed-api-version.js';

const deployment = (apiVersion: string, replicas = 2) => `apiVersion: ${apiVersion}
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx@sha256:aa"}]
`;

const cronJob = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: CronJob
metadata:
  name: report
  namespace: ops
spec:
  schedule: "0 * * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: "r@sha256:aa"}]}}}}
`;

const fs = (v: string) =>
  `apiVersion: flowcontrol.apiserver.k8s.io/${v}\nkind: FlowSchema\nmetadata:\n  name: batch\nspec:\n  matchingPrecedence: 1000\n`;

ruleTable(kubernetes, rule, {
  valid: [
    { name: 'served version added', after: deployment('apps/v1') },
    { name: 'served version changed', before: deployment('apps/v1'), after: deployment('apps/v1', 3) },
    { name: 'removed version deleted (nothing applied)', before: cronJob('batch/v1beta1'), after: {} },
    {
      name: 'moved off a version removed only after the target',
      before: fs('v1beta3'),
      after: fs('v1'),
      config: { kubernetes: { version: '1.31' } },
    },
    {
      name: 'still served on the target: 1.24 serves batch/v1beta1',
      after: cronJob('batch/v1beta1'),
      config: { kubernetes: { version: '1.24' } },
    },
    {
      name: 'custom resources are not in the table',
      after: 'apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\n',
    },
  ],
  invalid: [
    {
      name: 'object added with a removed version: rejected as a whole, nothing created (a failed apply, fully-reversible)',
      after: { 'ops/cron.yaml': cronJob('batch/v1beta1') },
      errors: [
        {
          messageId: 'newNotServed',
          class: 'fully-reversible',
          severity: 'warning',
          file: 'ops/cron.yaml',
          line: 1,
          object: 'batch/CronJob/ops/report',
          message:
            'CronJob ops/report is new and written as batch/v1beta1, which Kubernetes 1.34 no longer serves (removed in 1.25): the API server rejects it, so the sync fails and nothing is created. Use batch/v1',
        },
      ],
    },
    {
      name: 'existing object moved onto a removed version: an error, held at manual repair',
      before: { 'web.yaml': deployment('apps/v1') },
      after: { 'web.yaml': deployment('extensions/v1beta1') },
      errors: [{ messageId: 'notServed', class: 'reversible-with-manual-repair', severity: 'error', object: 'apps/Deployment/default/web' }],
    },
    {
      name: "object changed while on a removed version the base already had: information, not the change's",
      before: deployment('extensions/v1beta1'),
      after: deployment('extensions/v1beta1', 3),
      errors: [
        {
          messageId: 'alreadyNotServed',
          class: 'fully-reversible',
          severity: 'info',
          object: 'apps/Deployment/default/web',
          message: /removed in 1\.16.*Use apps\/v1 \(spec\.selector is required and immutable in apps\/v1\)/,
        },
      ],
    },
    {
      name: 'migration off a removed version makes the revert impossible',
      before: { 'web.yaml': deployment('extensions/v1beta1') },
      after: { 'web.yaml': deployment('apps/v1') },
      errors: [
        {
          messageId: 'revertNotServed',
          class: 'forward-only',
          severity: 'warning',
          file: 'web.yaml',
          line: 1,
          object: 'apps/Deployment/default/web',
          message:
            'Deployment default/web moves from extensions/v1beta1 to apps/v1; the revert restores extensions/v1beta1, which Kubernetes 1.34 no longer serves (removed in 1.16)',
        },
      ],
    },
    {
      name: 'flowcontrol v1beta3 on the default target',
      before: fs('v1beta3'),
      after: fs('v1'),
      errors: [
        {
          messageId: 'revertNotServed',
          class: 'forward-only',
          object: 'flowcontrol.apiserver.k8s.io/FlowSchema//batch',
        },
      ],
    },
    {
      name: 'PodSecurityPolicy has no replacement',
      after: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\nspec: {}\n',
      errors: [{ messageId: 'newNotServed', message: /PodSecurityPolicy is gone: use Pod Security Admission/ }],
    },
  ],
});

describe('removed-apis table', () => {
  it('covers the removals of the migration guide', () => {
    const minors = [...new Set(REMOVED_APIS.map((r) => r.removedIn))].sort((a, b) => a - b);
    expect(minors).toEqual([16, 22, 25, 26, 27, 29, 32]);
    expect(new Set(REMOVED_APIS.map((r) => `${r.apiVersion}/${r.kind}`)).size).toBe(REMOVED_APIS.length);
  });

  it('is served up to the minor before the removal', () => {
    expect(removedAt('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 25)).toBeUndefined();
    expect(removedAt('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 26)?.replacement).toBe('autoscaling/v2');
    expect(removedAt('autoscaling/v2', 'HorizontalPodAutoscaler', 34)).toBeUndefined();
  });
});
