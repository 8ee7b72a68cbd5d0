/**
 * When an overlay need not be rendered: a table of overlays and one-line changes, each saying whether the
 * rendered change can differ from the file's own change. The end-to-end cases run the real `kubectl
 * kustomize` where rendering is still needed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../core/config-schema.js';
import { assessChangeSet } from '../../testing/engine.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { kubernetes } from '../kubernetes/index.js';
import { kustomize } from './index.js';
import { rawEquivalent } from './plain.js';
import { loadGraph } from './render.js';

const repo = (version: string, name = 'podinfo') => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    tag: ${version}
`;
const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "${image}"}]}
`;
const k = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

interface Case {
  name: string;
  files: Record<string, string>;
  /** The changed file's text at head (at base it is `files[path]`). */
  path: string;
  after: string | undefined;
  root: string;
  raw: boolean;
}

const base = { 'apps/podinfo/source.yaml': repo('6.5.0'), 'apps/podinfo/other.yaml': repo('1.0.0', 'other') };
const bump = { path: 'apps/podinfo/source.yaml', after: repo('6.5.1'), root: 'apps/podinfo' };

const cases: Case[] = [
  {
    name: 'a plain resources list',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('resources:\n  - source.yaml\n  - other.yaml\n') },
    ...bump,
    raw: true,
  },
  {
    name: 'through a plain overlay of a plain base',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\n'),
      'clusters/prod/kustomization.yaml': k('resources: [../../apps/podinfo]\n'),
    },
    ...bump,
    root: 'clusters/prod',
    raw: true,
  },
  {
    name: 'a patch whose target is another object',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k(
        'resources: [source.yaml, other.yaml]\npatches:\n  - target: {kind: OCIRepository, name: other}\n    patch: |\n      - {op: replace, path: /spec/interval, value: 1m}\n',
      ),
    },
    ...bump,
    raw: true,
  },
  {
    name: 'a strategic-merge patch file naming another object',
    files: {
      ...base,
      'apps/podinfo/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n',
      'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\npatches:\n  - path: patch.yaml\n'),
    },
    ...bump,
    raw: true,
  },
  {
    name: 'a patch whose target regex selects the object',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k(
        'resources: [source.yaml]\npatches:\n  - target: {kind: OCIRepository, name: "pod.*"}\n    patch: |\n      - {op: replace, path: /spec/interval, value: 1m}\n',
      ),
    },
    ...bump,
    raw: false,
  },
  {
    name: 'a patch selecting by label (could select it)',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k(
        'resources: [source.yaml]\npatches:\n  - target: {labelSelector: "app=x"}\n    patch: |\n      - {op: replace, path: /spec/interval, value: 1m}\n',
      ),
    },
    ...bump,
    raw: false,
  },
  {
    name: 'a namespace transformer',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('namespace: apps\nresources: [source.yaml]\n') },
    ...bump,
    raw: false,
  },
  {
    name: 'an images transformer in the overlay above a plain base',
    files: {
      'apps/web/deploy.yaml': deploy('ghcr.io/acme/web:1.0.0'),
      'apps/web/kustomization.yaml': k('resources: [deploy.yaml]\n'),
      'clusters/prod/kustomization.yaml': k(
        'resources: [../../apps/web]\nimages:\n  - {name: ghcr.io/acme/web, newTag: 2.0.0}\n',
      ),
    },
    path: 'apps/web/deploy.yaml',
    after: deploy('ghcr.io/acme/web:1.0.1'),
    root: 'clusters/prod',
    raw: false,
  },
  {
    name: 'the object renamed (its id changes)',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\n') },
    path: 'apps/podinfo/source.yaml',
    after: repo('6.5.0', 'podinfo2'),
    root: 'apps/podinfo',
    raw: false,
  },
  {
    name: 'a document kustomize would refuse (no name)',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\n') },
    path: 'apps/podinfo/source.yaml',
    after: 'apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n',
    root: 'apps/podinfo',
    raw: false,
  },
  {
    name: 'the file is read as a patch, not a resource',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k('resources: [other.yaml]\npatches:\n  - path: source.yaml\n'),
    },
    ...bump,
    raw: false,
  },
  {
    name: 'the file is in the folder but not listed',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('resources: [other.yaml]\n') },
    ...bump,
    raw: false,
  },
  {
    name: 'the kustomization itself changes',
    files: { ...base, 'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\n') },
    path: 'apps/podinfo/kustomization.yaml',
    after: k('resources: [source.yaml, other.yaml]\n'),
    root: 'apps/podinfo',
    raw: false,
  },
  {
    name: 'a component in the overlay',
    files: {
      ...base,
      'apps/podinfo/kustomization.yaml': k('resources: [source.yaml]\ncomponents: [../../components/x]\n'),
      'components/x/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: x-\n',
    },
    ...bump,
    raw: false,
  },
];

describe('kustomize: overlays whose render is the raw change', () => {
  for (const c of cases)
    it(`${c.raw ? 'raw' : 'render'}: ${c.name}`, async () => {
      const after = { ...c.files };
      if (c.after === undefined) delete after[c.path];
      else after[c.path] = c.after;
      const reader = memoryRepo(c.files, after);
      const changes = changeSetOf(c.files, after);
      const results = await Promise.all(
        (['base', 'head'] as const).map(async (s) =>
          rawEquivalent(reader, s, await loadGraph(reader, s), c.root, changes.files),
        ),
      );
      expect(results.every(Boolean)).toBe(c.raw);
    });
});

describe('kustomize: verdicts with and without a render', () => {
  const assess = async (before: Record<string, string>, after: Record<string, string>) => {
    const a = await assessChangeSet(changeSetOf(before, after), memoryRepo(before, after), ConfigSchema.parse({}), {
      surfaces: [kubernetes, kustomize],
    });
    return a;
  };

  it('a tag bump in a plain overlay is judged in the file, with no rendered copy', async () => {
    const before = {
      'apps/web/deploy.yaml': deploy('ghcr.io/acme/web:1.0.0'),
      'apps/web/kustomization.yaml': k('resources: [deploy.yaml]\n'),
    };
    const a = await assess(before, { ...before, 'apps/web/deploy.yaml': deploy('ghcr.io/acme/web:1.0.1') });
    const tags = a.findings.filter((f) => f.rule === 'kubernetes/mutable-image-tag');
    expect(tags.map((f) => f.file)).toEqual(['apps/web/deploy.yaml']);
    expect(a.findings.some((f) => f.file.endsWith('(rendered)'))).toBe(false);
  });

  it('a patch that selects the changed object still renders: the change breaks the patch', async () => {
    const before = {
      'apps/podinfo/source.yaml': repo('6.5.0'),
      'apps/podinfo/kustomization.yaml': k(
        'resources: [source.yaml]\npatches:\n  - target: {kind: OCIRepository, name: podinfo}\n    patch: |\n      - {op: replace, path: /spec/ref/tag, value: 6.0.0}\n',
      ),
    };
    const head = repo('6.5.0').replace('  ref:\n    tag: 6.5.0\n', '');
    const a = await assess(before, { ...before, 'apps/podinfo/source.yaml': head });
    expect(a.findings.filter((f) => f.rule === 'kustomize/render-failed').map((f) => f.file)).toEqual([
      'apps/podinfo/kustomization.yaml',
    ]);
  });
});
