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
      name: "the change fixes an overlay that did not render at the base: info, not the change's failure",
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'fixed',
          class: 'fully-reversible',
          severity: 'info',
          message: /^overlay app does not render at the base revision and renders at head: the change fixes it/,
        },
      ],
    },
    {
      name: 'an overlay that fails the same way at both revisions: info and not assessed, the class not held',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\nnamePrefix: a-\n' },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'failedBoth',
          class: 'fully-reversible',
          severity: 'info',
          message: /does not render at either revision, with the same error, so the failure is not this change's/,
        },
      ],
    },
    {
      name: "a remote base unfetchable at both revisions: info, not the change's",
      before: { 'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v1\n' },
      after: {
        'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v1\nnamePrefix: a-\n',
      },
      errors: [{ messageId: 'remoteBoth', class: 'fully-reversible', severity: 'info' }],
    },
    {
      name: "a remote base bumped to a new ref, unfetchable offline at both revisions: the network's failure, not the change's",
      before: { 'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v1\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v2\n' },
      errors: [{ messageId: 'remoteBoth', class: 'fully-reversible', severity: 'info' }],
    },
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
      name: 'a remote base added to an overlay that rendered, without network',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
      after: {
        'app/kustomization.yaml':
          'resources:\n  - deployment.yaml\n  - https://git.example.invalid/acme/base//app?ref=v1\n',
      },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'remote',
          file: 'app/kustomization.yaml',
          message: /reads remote bases \(https:\/\/git\.example\.invalid\/acme\/base\/\/app\?ref=v1\)/,
        },
      ],
    },
    {
      name: 'a new overlay that does not render: nothing was applied from it, so the hold for new inputs, not data destroyed',
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'failedNew',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message: /^overlay app is new and does not render at the head revision: .*removed through it/,
        },
      ],
    },
    {
      name: 'a new overlay over a remote base, without network: the hold for new inputs',
      after: { 'app/kustomization.yaml': 'resources:\n  - https://git.example.invalid/acme/base//app?ref=v1\n' },
      errors: [
        {
          messageId: 'remoteNew',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'app/kustomization.yaml',
          message: /reads remote inputs \(https:\/\/git\.example\.invalid\/acme\/base\/\/app\?ref=v1\)/,
        },
      ],
    },
    {
      name: 'an overlay broken at the base that the change breaks another way: nothing rendered before is lost, held as not assessed',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      after: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - ingress.yaml\n' },
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'failedBothChanged',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          message:
            /does not render at either revision, and the change alters its inputs and its error: it was already broken/,
        },
      ],
    },
    {
      name: 'an overlay deleted that did not render at the base either: info, not "fixed"',
      before: { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n' },
      after: {},
      unchanged: { 'app/deployment.yaml': deployment },
      errors: [
        {
          messageId: 'deletedBroken',
          class: 'fully-reversible',
          severity: 'info',
          message: /^overlay app is deleted, and it did not render at the base revision either/,
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

describe('render-failed is "not assessed", never "data destroyed"', () => {
  const assessOf = async (before: Record<string, string>, after: Record<string, string>) => {
    const { assessChangeSet } = await import('../../../testing/engine.js');
    const { changeSetOf, memoryRepo } = await import('../../../testing/rule-tester.js');
    const { defaultConfig } = await import('../../../core/config.js');
    const unchanged = { 'app/deployment.yaml': deployment };
    return assessChangeSet(
      changeSetOf(before, after),
      memoryRepo({ ...unchanged, ...before }, { ...unchanged, ...after }),
      defaultConfig(),
      {
        surfaces: [kustomize],
      },
    );
  };
  const broken = 'resources:\n  - deployment.yaml\n  - service.yaml\n';

  it('a failure at head holds the class, listed as not assessed with its remedy, and no message claims data loss', async () => {
    const a = await assessOf(
      { 'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n' },
      { 'app/kustomization.yaml': broken },
    );
    expect(a.class).toBe('non-recoverable-without-restore');
    expect(a.unassessed).toEqual([
      {
        rule: 'kustomize/render-failed',
        file: 'app/kustomization.yaml',
        line: 1,
        reason:
          'overlay app does not render at the head revision, so what the change does to its objects was not assessed',
        remedy: 'run `kubectl kustomize app` and fix what it reports',
        holdsClass: true,
      },
    ]);
    expect(a.gate.passed).toBe(false);
    expect(JSON.stringify(a.findings)).not.toMatch(/destroy/i);
  });

  it("the same failure at both revisions is listed but holds nothing: the class and the gate are the rest of the change's", async () => {
    const a = await assessOf(
      { 'app/kustomization.yaml': broken },
      { 'app/kustomization.yaml': broken + '# a comment\n' },
    );
    expect(a.class).toBe('fully-reversible');
    expect(a.unassessed.map((u) => [u.rule, u.holdsClass])).toEqual([['kustomize/render-failed', false]]);
    expect(a.gate.passed).toBe(true);
  });
});
