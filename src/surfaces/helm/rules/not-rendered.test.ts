import { afterEach, expect, it, vi } from 'vitest';
import { ruleTable, runRule } from '../../../testing/rule-tester.js';
import { helm } from '../index.js';
import { chart } from '../testing/fixtures.js';
import rule from './not-rendered.js';

afterEach(() => vi.unstubAllEnvs());

ruleTable(helm, rule, {
  valid: [
    {
      name: 'no chart file changes',
      before: { 'apps/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' },
      after: { 'apps/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' },
    },
    {
      name: 'values.yaml outside any chart',
      before: { 'x/values.yaml': 'a: 1\n' },
      after: { 'x/values.yaml': 'a: 2\n' },
    },
  ],
  invalid: [
    {
      name: 'a chart changes and helm is not installed here',
      before: { 'charts/shop/Chart.yaml': chart('1.0.0'), 'charts/shop/values.yaml': 'replicas: 1\n' },
      after: { 'charts/shop/Chart.yaml': chart('1.0.1'), 'charts/shop/values.yaml': 'replicas: 2\n' },
      errors: [
        {
          messageId: 'notRendered',
          class: 'fully-reversible',
          severity: 'info',
          file: 'charts/shop/Chart.yaml',
          line: 1,
          message: /^2 changed chart file\(s\) not rendered \(helm is not installed\)/,
        },
      ],
    },
  ],
});

it('says why when helm exists but does not run', async () => {
  vi.stubEnv('ROLLWRIGHT_HELM', '/nonexistent/helm');
  const f = await runRule(helm, rule, {
    name: 'x',
    before: { 'c/Chart.yaml': chart('1.0.0') },
    after: { 'c/Chart.yaml': chart('1.1.0') },
  });
  // The probe is cached per process: whichever ran first, the reason is stated, never a silent pass.
  expect(f.map((x) => x.messageId)).toEqual(['notRendered']);
  expect(f[0]!.message).toMatch(/\((helm is not installed|helm does not run.*)\)/);
});
