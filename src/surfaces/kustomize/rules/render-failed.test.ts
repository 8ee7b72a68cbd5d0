import { afterEach, describe, expect, it, vi } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule from './render-failed.js';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx@sha256:aaaa"}]}
`;

ruleTable(kustomize, rule, {
  valid: [
    {
      name: 'an overlay that renders',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\nnamePrefix: a-\n' },
      unchanged: { 'app/deployment.yaml': deployment },
    },
    {
      name: 'a change outside every kustomization',
      before: { 'other/x.yaml': deployment },
      after: { 'other/x.yaml': deployment.replace('web}', 'web2}') },
    },
  ],
  invalid: [
    {
      name: 'a missing resource file',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'failed',
          class: 'non-recoverable-without-restore',
          severity: 'error',
          file: 'app/kustomization.yaml',
          line: 1,
          message: /^overlay app does not render at the head revision: .*service\.yaml/,
        },
      ],
    },
    {
      name: 'a remote base without network',
      after: { 'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v1\n' },
      errors: [
        {
          messageId: 'remote',
          file: 'app/kustomization.yaml',
          message: /reads remote bases \(https:\/\/git\.example\.invalid\/acme\/base\/\/app\?ref=v1\)/,
        },
      ],
    },
  ],
});

describe('kustomize/render-failed without kubectl', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('says so in one warning instead of passing silently', async () => {
    vi.stubEnv('ROLLWRIGHT_KUBECTL', '/nonexistent/kubectl');
    const findings = await runRule(kustomize, rule, {
      name: 'no kubectl',
      before: {
        'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
        'web/kustomization.yaml': 'resources: [../app]\n',
      },
      after: {
        'app/kustomization.yaml': 'resources:\n  - deployment.yaml\nnamePrefix: b-\n',
        'web/kustomization.yaml': 'resources: [../app]\n',
      },
      unchanged: {
        'app/deployment.yaml': deployment,
        'api/kustomization.yaml': 'resources: [../app]\nnamePrefix: api-\n',
      },
    });
    expect(findings.map((f) => [f.messageId, f.class, f.severity, f.file, f.line])).toEqual([
      ['noKubectl', 'fully-reversible', 'warning', 'api/kustomization.yaml', 1],
    ]);
    expect(findings[0]!.message).toMatch(/^kubectl is not installed: overlay api and the others were not rendered/);
  });
});
