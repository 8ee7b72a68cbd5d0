import { describe, expect, it } from 'vitest';
import { assessCase, type RuleCase } from '../../../testing/rule-tester.js';

const KSONNET_APP = 'apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: guestbook\nversion: 0.0.1\n';
const MAIN = "local base = import '../base.libsonnet';\nlocal k = import 'k.libsonnet';\nbase + {}\n";
const PARAMS = "local params = std.extVar('__ksonnet/params');\nparams + { components+: {} }\n";

type Case = RuleCase;

async function run(c: Case) {
  const a = await assessCase(c);
  return { class: a.class, findings: a.findings.filter((f) => f.rule === 'core/unassessed-file') };
}

describe('core/unassessed-file', () => {
  it.each<Case>([
    {
      name: 'new environments of a ksonnet app (the folder is named dev, but no controller renders it)',
      after: { 'guestbook/environments/dev/main.jsonnet': MAIN, 'guestbook/environments/dev/params.libsonnet': PARAMS },
      unchanged: { 'guestbook/app.yaml': KSONNET_APP },
    },
    {
      name: 'a ksonnet app removed together with its app.yaml',
      before: {
        'ksonnet-guestbook/app.yaml': KSONNET_APP,
        'ksonnet-guestbook/environments/prod/main.jsonnet': MAIN,
      },
    },
    {
      name: 'a jsonnet file outside every environment',
      before: { 'tools/gen.jsonnet': '{}' },
      after: { 'tools/gen.jsonnet': '{ a: 1 }' },
    },
    { name: 'documentation in an environment', after: { 'prod/README.md': '# prod\n' } },
  ])('valid (nothing held): $name', async (c) => {
    const r = await run(c);
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.message)).toEqual([]);
    expect(r.class).toBe('fully-reversible');
  });

  it.each<Case & { held: string[]; info: string[] }>([
    {
      name: 'a ksonnet parameter changed outside the environments: stated at info',
      before: { 'pre-post-sync/components/params.libsonnet': PARAMS.replace('{}', "{ ui: { type: 'LoadBalancer' } }") },
      after: { 'pre-post-sync/components/params.libsonnet': PARAMS.replace('{}', "{ ui: { type: 'ClusterIP' } }") },
      unchanged: { 'pre-post-sync/app.yaml': KSONNET_APP },
      held: [],
      info: ['ksonnet'],
    },
    {
      name: 'plain jsonnet in an environment folder (an Argo CD directory app evaluates it): held',
      after: { 'apps/prod/guestbook.jsonnet': "{ apiVersion: 'v1', kind: 'Service' }" },
      held: ['unknownFormat'],
      info: [],
    },
    {
      name: 'a path that looks like ksonnet without its app.yaml: held',
      after: { 'web/environments/prod/main.jsonnet': MAIN },
      held: ['unknownFormat'],
      info: [],
    },
    {
      name: 'an unknown format in an environment folder: held',
      after: { 'prod/web.toml': 'a = 1\n' },
      held: ['unknownFormat'],
      info: [],
    },
  ])('invalid: $name', async (c) => {
    const r = await run(c);
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.messageId)).toEqual(c.held);
    expect(r.findings.filter((f) => f.severity === 'info').map((f) => f.messageId)).toEqual(c.info);
    if (c.held.length) {
      expect(r.class).toBe('reversible-with-manual-repair');
      expect(r.findings[0]!.class).toBe('reversible-with-manual-repair');
    } else expect(r.class).toBe('fully-reversible');
  });
});
