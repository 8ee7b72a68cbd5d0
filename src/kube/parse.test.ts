import { describe, expect, it } from 'vitest';
import { diffObjects, parseManifests } from './parse.js';

const opts = { defaultNamespace: 'default' };

describe('parseManifests', () => {
  it.each([
    ['a trailing comma', '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "a",}\n}\n', 4],
    ['a comment', '{\n  "apiVersion": "v1", # the version\n  "kind": "ConfigMap"\n}\n', 2],
    ['an unquoted key', '{\n  apiVersion: "v1",\n  "kind": "ConfigMap"\n}\n', 2],
  ])('a .json manifest is read as JSON, as kubectl does: %s is an error at its line', (_n, text, line) => {
    const p = parseManifests('cm.json', text, opts);
    expect(p.problems.filter((x) => x.type === 'yaml')).toEqual([
      expect.objectContaining({ line, reason: expect.stringMatching(/^not valid JSON: /) }),
    ]);
    // The same text in a .yaml file is YAML, which allows all three.
    expect(parseManifests('cm.yaml', text, opts).problems.filter((x) => x.type === 'yaml')).toEqual([]);
  });

  it('a valid .json manifest (with a byte order mark) has no problem', () => {
    const p = parseManifests(
      'cm.json',
      '\ufeff{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}',
      opts,
    );
    expect(p.problems).toEqual([]);
    expect(p.objects).toHaveLength(1);
  });

  it('identifies objects by group/kind/namespace/name after namespace defaulting', () => {
    const p = parseManifests(
      'a.yaml',
      [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}',
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader, namespace: ignored}',
        'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}',
      ].join('\n---\n'),
      opts,
    );
    expect(p.problems).toEqual([]);
    expect(p.objects.map((o) => o.id)).toEqual([
      'apps/Deployment/default/web',
      '/Service/shop/web',
      '/Namespace//shop',
      'rbac.authorization.k8s.io/ClusterRole//reader',
      'batch/Job/default/migrate-*',
    ]);
    expect(p.objects.map((o) => o.doc.line)).toEqual([1, 5, 9, 13, 17]);
  });

  it('honours the configured default namespace', () => {
    const p = parseManifests('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', {
      defaultNamespace: 'apps',
    });
    expect(p.objects[0]!.id).toBe('/ConfigMap/apps/c');
  });

  it('expands List items with their own lines', () => {
    const p = parseManifests(
      'l.yaml',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b\n',
      opts,
    );
    expect(p.objects.map((o) => o.id)).toEqual(['/ConfigMap/default/a', '/Secret/default/b']);
    expect(p.objects[1]!.yaml.locate(p.objects[1]!.doc, ['metadata', 'name'])).toBe(11);
  });

  it('knows the same object under an old group', () => {
    const p = parseManifests('a.yaml', 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n', opts);
    expect(p.objects[0]!.id).toBe('networking.k8s.io/Ingress/default/i');
    expect(p.objects[0]!.apiVersion).toBe('extensions/v1beta1');
  });

  it('treats a YAML file without apiVersion and kind as not a manifest', () => {
    const p = parseManifests('values.yaml', 'replicas: 3\nimage: {tag: x}\n', opts);
    expect(p.isManifest).toBe(false);
    expect(p.problems).toEqual([]);
  });

  it.each([
    [
      'ksonnet app.yaml (apiVersion not group/version, kind x.y/z)',
      'apiVersion: 0.1.0\nkind: ksonnet.io/app\nname: guestbook\n',
      /apiVersion "0.1.0" is not a Kubernetes group\/version/,
    ],
    [
      'skaffold Config (a dotless group that is not built in)',
      'apiVersion: skaffold/v4beta11\nkind: Config\nmetadata: {name: shop}\n',
      /group \(custom groups are domains with a dot\)/,
    ],
    [
      'a kind that is not a Kubernetes kind',
      'apiVersion: example.io/v1\nkind: example.io/thing\nmetadata: {name: a}\n',
      /kind "example.io\/thing" is not a Kubernetes kind/,
    ],
    [
      'a KRM function config annotated local-config',
      'apiVersion: fn.kpt.dev/v1alpha1\nkind: ApplyReplacements\nmetadata:\n  name: r\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
      /local-config: "true": a KRM function or tool config/,
    ],
    ['a kubeconfig', 'apiVersion: v1\nkind: Config\nclusters: []\n', /kubeconfig/],
    [
      'a component config (kubelet)',
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n',
      /configures a tool or a cluster component/,
    ],
    ['a kind cluster config', 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: []\n', /configures a tool/],
  ])('reads %s as a tool config, not an object or a problem', (_n, text, reason) => {
    const p = parseManifests('x.yaml', text, opts);
    expect(p.isManifest).toBe(false);
    expect(p.objects).toEqual([]);
    expect(p.problems).toEqual([]);
    expect(p.toolConfigs).toEqual([{ line: 1, reason: expect.stringMatching(reason) }]);
  });

  it.each([
    ['a core object', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'],
    ['a built-in dotless group', 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n'],
    ['a custom resource', 'apiVersion: ops.example.com/v1alpha1\nkind: Backup\nmetadata: {name: b}\n'],
    [
      'local-config "false"',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {config.kubernetes.io/local-config: "false"}\n',
    ],
  ])('still reads %s as an object', (_n, text) => {
    const p = parseManifests('x.yaml', text, opts);
    expect(p.toolConfigs).toEqual([]);
    expect(p.objects).toHaveLength(1);
  });

  it('keeps the objects of a file that also holds a local-config document', () => {
    const p = parseManifests(
      'x.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: fn.kpt.dev/v1alpha1\nkind: SetLabels\nmetadata:\n  name: s\n  annotations: {config.kubernetes.io/local-config: "true"}\n',
      opts,
    );
    expect(p.isManifest).toBe(true);
    expect(p.objects.map((o) => o.id)).toEqual(['/ConfigMap/default/c']);
    expect(p.toolConfigs).toHaveLength(1);
  });

  it('treats a kustomization as build configuration', () => {
    const p = parseManifests(
      'kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
      opts,
    );
    expect(p.isManifest).toBe(false);
    expect(p.isBuildConfig).toBe(true);
  });
});

describe('diffObjects', () => {
  const cm = (name: string, v: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {k: "${v}"}\n`;
  const objs = (file: string, text: string) => parseManifests(file, text, opts).objects;

  it('pairs objects across revisions', () => {
    const changes = diffObjects(
      [...objs('a.yaml', `${cm('same', '1')}---\n${cm('changed', '1')}---\n${cm('gone', '1')}`)],
      [...objs('a.yaml', `${cm('same', '1')}---\n${cm('changed', '2')}---\n${cm('new', '1')}`)],
    );
    expect(changes.map((c) => [c.id, c.status, c.bodyChanged])).toEqual([
      ['/ConfigMap/default/changed', 'modified', true],
      ['/ConfigMap/default/gone', 'removed', true],
      ['/ConfigMap/default/new', 'added', true],
    ]);
  });

  it('an object moved to another file is a move, not a delete plus a create', () => {
    const changes = diffObjects(objs('a.yaml', cm('x', '1')), objs('b.yaml', cm('x', '1')));
    expect(changes.map((c) => [c.id, c.status, c.bodyChanged, c.before?.file, c.after?.file])).toEqual([
      ['/ConfigMap/default/x', 'moved', false, 'a.yaml', 'b.yaml'],
    ]);
  });

  it('an apiVersion move between groups of the same object is a change', () => {
    const changes = diffObjects(
      objs('a.yaml', 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n'),
      objs('a.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n'),
    );
    expect(changes.map((c) => [c.id, c.status])).toEqual([['apps/Deployment/default/d', 'modified']]);
  });
});

describe('diffObjects across environments', () => {
  const dep = (image: string, scope: string, file: string) =>
    parseManifests(file, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {x: ${image}}\n`, {
      defaultNamespace: 'default',
      scope,
    }).objects;

  it('never pairs the same id of two environments', () => {
    const changes = diffObjects(
      [...dep('a', 'prod', 'clusters/prod/web.yaml'), ...dep('a', 'staging', 'clusters/staging/web.yaml')],
      [...dep('a', 'prod', 'clusters/prod/web.yaml'), ...dep('b', 'staging', 'clusters/staging/web.yaml')],
    );
    expect(changes.map((c) => [c.status, c.before?.file, c.after?.file])).toEqual([
      ['modified', 'clusters/staging/web.yaml', 'clusters/staging/web.yaml'],
    ]);
  });

  it('an object moved from staging to prod is a removal from one cluster and an addition to the other', () => {
    const changes = diffObjects(
      dep('a', 'staging', 'clusters/staging/web.yaml'),
      dep('a', 'prod', 'clusters/prod/web.yaml'),
    );
    expect(changes.map((c) => c.status).sort()).toEqual(['added', 'removed']);
  });
});
