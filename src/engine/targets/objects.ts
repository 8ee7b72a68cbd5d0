/**
 * The rollback targets of Kubernetes-shaped objects: container images, a HelmRelease's chart (with
 * its HelmRepository or OCIRepository, found by name in the same tree), an Argo CD Application's
 * sources, a Flux OCIRepository or GitRepository ref.
 */
import { sourcesOf } from '../../surfaces/argocd/model.js';
import { containersOf, describeObject, get, isObject, type KubeObject } from '../../kube/model.js';
import { chartTarget, gitTarget, imageTarget, type CollectInput, type RollbackTarget, type Side } from './target.js';

export async function objectTargets(
  o: KubeObject,
  other: KubeObject | undefined,
  sources: SourceIndex,
): Promise<RollbackTarget[]> {
  const out: RollbackTarget[] = [];
  const line = (p: Array<string | number>) => o.yaml.locate(o.doc, p);
  const theirs = new Map(
    other ? containersOf(other).map((r) => [`${r.kind}/${String(r.container.name)}`, r.container.image]) : [],
  );
  for (const ref of containersOf(o)) {
    const image = ref.container.image;
    const was = theirs.get(`${ref.kind}/${String(ref.container.name)}`);
    if (typeof image !== 'string' || image === was) continue;
    const what = `${describeObject(o)} ${ref.kind === 'containers' ? 'container' : ref.kind.replace(/s$/, '')} ${String(ref.container.name)}`;
    out.push(imageTarget(image, what, o.file, line([...ref.path, 'image']), typeof was === 'string' ? was : null));
  }
  const differs = (p: Array<string | number>) =>
    JSON.stringify(get(o.body, p)) !== JSON.stringify(other ? get(other.body, p) : undefined);
  if (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') {
    const spec = ['spec', 'chart', 'spec'];
    const chart = get(o.body, [...spec, 'chart']);
    const version = get(o.body, [...spec, 'version']);
    if (
      typeof chart === 'string' &&
      (differs([...spec, 'version']) || differs([...spec, 'chart']) || differs([...spec, 'sourceRef']))
    ) {
      const ref = get(o.body, [...spec, 'sourceRef']);
      const repo = isObject(ref)
        ? await sources.url(
            String(ref.kind ?? 'HelmRepository'),
            String(ref.name ?? ''),
            String(ref.namespace ?? o.namespace),
          )
        : '';
      const was = other ? get(other.body, [...spec, 'version']) : undefined;
      out.push(
        chartTarget(
          repo,
          chart,
          typeof version === 'string' ? version : '*',
          describeObject(o),
          o.file,
          line([...spec, 'version']),
          typeof was === 'string' ? was : null,
        ),
      );
    }
    const chartRef = get(o.body, ['spec', 'chartRef']);
    if (isObject(chartRef) && differs(['spec', 'chartRef'])) {
      // The chart is an OCIRepository artifact: its tag or digest is the target, checked with the source.
      const src = await sources.object(
        String(chartRef.kind ?? ''),
        String(chartRef.name ?? ''),
        String(chartRef.namespace ?? o.namespace),
      );
      if (src) out.push(...ociRepositoryTargets(src, undefined, `${describeObject(o)} chartRef`));
    }
  } else if (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'OCIRepository') {
    if (differs(['spec', 'ref']) || differs(['spec', 'url']))
      out.push(...ociRepositoryTargets(o, other, describeObject(o)));
  } else if (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'GitRepository') {
    const ref = get(o.body, ['spec', 'ref']);
    const url = get(o.body, ['spec', 'url']);
    if (isObject(ref) && typeof url === 'string' && (differs(['spec', 'ref']) || differs(['spec', 'url']))) {
      const pin = [ref.commit, ref.tag, ref.name, ref.branch].find((x) => typeof x === 'string') as string | undefined;
      if (pin) {
        const was = other ? get(other.body, ['spec', 'ref']) : undefined;
        out.push({
          ...gitTarget(
            `${url}?ref=${encodeURIComponent(pin)}`,
            'kustomize',
            describeObject(o),
            o.file,
            line(['spec', 'ref']),
            was ? JSON.stringify(was) : null,
          ),
          target: `${url} ${pin}`,
          check: { kind: 'git', url, ref: pin },
        });
      }
    }
  } else if (o.group === 'argoproj.io' && (o.kind === 'Application' || o.kind === 'ApplicationSet')) {
    const theirSources = other ? sourcesOf(other) : [];
    sourcesOf(o).forEach((s, i) => {
      const mine = s.source;
      const was = theirSources[i]?.source;
      if (was && JSON.stringify(was) === JSON.stringify(mine)) return;
      const repoURL = typeof mine.repoURL === 'string' ? mine.repoURL : '';
      const rev = typeof mine.targetRevision === 'string' ? mine.targetRevision : '';
      const what = `${describeObject(o)} source ${repoURL}`;
      const at = line([...s.path, 'targetRevision']);
      const wasRev = was && typeof was.targetRevision === 'string' ? was.targetRevision : null;
      if (typeof mine.chart === 'string') {
        // Argo CD names an OCI Helm repository without a scheme (or with oci://); others are https.
        const repo = /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? repoURL : `oci://${repoURL}`;
        out.push(chartTarget(repo, mine.chart, rev || '*', what, o.file, at, wasRev));
      } else if (repoURL && rev && rev !== 'HEAD') {
        out.push({
          kind: 'git',
          target: `${repoURL} ${rev}`,
          what,
          file: o.file,
          line: at,
          replacedBy: wasRev,
          check: { kind: 'git', url: repoURL, ref: rev },
        });
      }
    });
  }
  return out;
}

function ociRepositoryTargets(o: KubeObject, other: KubeObject | undefined, what: string): RollbackTarget[] {
  const url = get(o.body, ['spec', 'url']);
  const ref = get(o.body, ['spec', 'ref']);
  if (typeof url !== 'string') return [];
  const r = isObject(ref) ? ref : {};
  const name = url.replace(/^oci:\/\//i, '');
  const image =
    typeof r.digest === 'string' ? `${name}@${r.digest}` : typeof r.tag === 'string' ? `${name}:${r.tag}` : undefined;
  const was = other ? get(other.body, ['spec', 'ref']) : undefined;
  const line = o.yaml.locate(o.doc, ['spec', 'ref']);
  if (!image)
    return [
      {
        kind: 'image',
        target: name,
        what,
        file: o.file,
        line,
        replacedBy: was ? JSON.stringify(was) : null,
        check: null,
        why:
          typeof r.semver === 'string'
            ? `a semver range (${r.semver}): no fixed rollback target`
            : 'no tag or digest: the latest tag is not a fixed rollback target',
      },
    ];
  return [imageTarget(image, what, o.file, line, was ? JSON.stringify(was) : null)];
}

/** HelmRepository and OCIRepository objects, found by name where the side's tree defines them. */
export class SourceIndex {
  private readonly cache = new Map<string, Promise<KubeObject | undefined>>();
  constructor(
    private readonly input: CollectInput,
    private readonly side: Side,
  ) {}

  object(kind: string, name: string, namespace: string): Promise<KubeObject | undefined> {
    const key = `${kind}/${namespace}/${name}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.find(kind, name, namespace);
      this.cache.set(key, p);
    }
    return p;
  }

  async url(kind: string, name: string, namespace: string): Promise<string> {
    const o = await this.object(kind, name, namespace);
    const url = o ? get(o.body, ['spec', 'url']) : undefined;
    if (typeof url !== 'string') return '';
    // A HelmRepository of type oci holds `oci://host/path`; its charts are `<path>/<chart>`.
    return url;
  }

  private async find(kind: string, name: string, namespace: string): Promise<KubeObject | undefined> {
    if (!name) return undefined;
    const { parseManifests } = await import('../../kube/parse.js');
    const paths = await this.input.repo.grep(this.side, [name], ['**/*.yaml', '**/*.yml']);
    for (const p of paths) {
      const changed = this.input.files.find((f) => (this.side === 'base' ? (f.oldPath ?? f.path) : f.path) === p);
      const text = changed
        ? this.side === 'base'
          ? changed.oldText
          : changed.newText
        : await this.input.repo.readText(this.side, p);
      if (text === undefined || !/(HelmRepository|OCIRepository)/.test(text)) continue;
      const objs = parseManifests(p, text, { defaultNamespace: this.input.config.kubernetes.defaultNamespace }).objects;
      const hit = objs.find(
        (o) =>
          o.group === 'source.toolkit.fluxcd.io' &&
          o.kind === kind &&
          o.name === name &&
          (o.namespace === namespace || !namespace),
      );
      if (hit) return hit;
    }
    return undefined;
  }
}
