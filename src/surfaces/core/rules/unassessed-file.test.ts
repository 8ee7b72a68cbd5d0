import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../core/config-schema.js';
import { assessChangeSet } from '../../../testing/engine.js';
import { assessCase, memoryRepo, type RuleCase } from '../../../testing/rule-tester.js';

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
      name: 'a ksonnet component moved out of its app into an environment folder (an Argo CD directory app evaluates it): the new file held, its removal from the app at info',
      before: { 'guestbook/components/ui.jsonnet': MAIN },
      after: { 'apps/prod/ui.jsonnet': MAIN },
      unchanged: { 'guestbook/app.yaml': KSONNET_APP },
      held: ['unknownFormat'],
      info: ['ksonnet'],
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
  it('a ksonnet app folder renamed unchanged (git rename at 100 %, app.yaml with it; environments named dev and prod): stated at info, not held', async () => {
    const files = { 'app.yaml': KSONNET_APP, 'environments/dev/main.jsonnet': MAIN, 'environments/prod/params.libsonnet': PARAMS };
    const at = (dir: string) => Object.fromEntries(Object.entries(files).map(([p, t]) => [`${dir}/${p}`, t]));
    const renames = Object.entries(files).map(([p, t]) => ({
      status: 'renamed' as const,
      oldPath: `guestbook/${p}`,
      path: `ksonnet-guestbook/${p}`,
      oldText: t,
      newText: t,
      oldBlob: p,
      newBlob: p,
    }));
    const a = await assessChangeSet(
      { base: 'BASE', head: 'HEAD', files: renames, commits: [] },
      memoryRepo(at('guestbook'), at('ksonnet-guestbook')),
      ConfigSchema.parse({}),
      { surfaces: [] },
    );
    const mine = a.findings.filter((f) => f.rule === 'core/unassessed-file');
    expect(mine.map((f) => [f.file, f.messageId, f.severity])).toEqual([
      ['ksonnet-guestbook/environments/dev/main.jsonnet', 'ksonnet', 'info'],
      ['ksonnet-guestbook/environments/prod/params.libsonnet', 'ksonnet', 'info'],
    ]);
    expect(a.class).toBe('fully-reversible');
  });
});
