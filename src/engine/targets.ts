/**
 * Rollback targets: the artifacts a rollback would return to. For a change, they are what the base
 * side references and the head side no longer does (or references differently): the previous image of
 * a container, the previous chart version of a HelmRelease, a Chart.yaml dependency or an Argo CD
 * Helm source, the previous `?ref=` or registry version of a Terraform module, the previous ref of a
 * Kustomize remote base or a Flux source. For a revert they are the head side of the revert; for a
 * tree, everything it references.
 *
 * The files are read with the surfaces' own readers (the Kubernetes parse and container walk, Argo CD
 * sources, kustomize's reference lists, the Terraform HCL parser and module sources); images changed
 * in rendered output (Kustomize overlays, Helm charts) come from the assessment's
 * `kubernetes/image-changed` findings. Each target is then checked live (src/live).
 */
import type { ChangedFile, RepoReader } from '../core/change.js';
import type { Finding } from '../core/finding.js';
import {
  LiveChecker,
  parseGitSource,
  parseOciReference,
  parseRegistrySource,
  type LiveAnswer,
  type LiveOptions,
  type LiveStatus,
  type LiveTarget,
  type SignatureReport,
} from '../live/index.js';
import { sourcesOf } from '../surfaces/argocd/model.js';
import { isYamlPath, templated } from '../kube/objects.js';
import {
  containersOf,
  describeObject,
  get,
  isObject,
  isPlaceholder,
  type JsonObject,
  type KubeObject,
} from '../kube/model.js';
import { isKustomizationPath, localReferences } from '../surfaces/kustomize/model.js';
import type { RollwrightConfig } from '../core/config.js';
import { environmentsOfPath } from '../core/config.js';

export type Side = 'base' | 'head';

export const TARGETS_SCHEMA = 'rollwright.targets/v1';

export type TargetKind = 'image' | 'chart' | 'git' | 'module';

/** One artifact a rollback would return to, where it is referenced, and how to check it live. */
export interface RollbackTarget {
  kind: TargetKind;
  /** The artifact as a person reads it: `ghcr.io/acme/web@sha256:...`, `chart web 1.3.2 (https://...)`. */
  target: string;
  /** What references it: `Deployment shop/web container web`, `HelmRelease flux-system/web`, `module.vpc`. */
  what: string;
  /** Where it is referenced on the side the rollback returns to. */
  file: string;
  line: number;
  /** What the other side references instead (the change's new value), when it references anything. */
  replacedBy: string | null;
  /** How it is checked; null when it cannot be (a template value, a local path), with `why`. */
  check: LiveTarget | null;
  why?: string;
}

export interface CheckedTarget extends RollbackTarget {
  status: LiveStatus;
  reason: string;
  /** `live` when a registry, repository or remote answered; `offline` when nothing was contacted. */
  source: 'live' | 'offline' | 'not-checked';
  digest?: string;
  tagDigest?: string;
  mediaType?: string;
  signature?: SignatureReport;
}

// ---------------------------------------------------------------------------------------------
// Collection

export interface CollectInput {
  files: readonly ChangedFile[];
  repo: RepoReader;
  config: RollwrightConfig;
  /** The assessment's findings: rendered image changes come from `kubernetes/image-changed`. */
  findings?: readonly Finding[];
}

/** The rollback targets that `side` holds and the other side does not hold the same way. */
export async function collectTargets(input: CollectInput, side: Side): Promise<RollbackTarget[]> {
  const out: RollbackTarget[] = [];
  const other: Side = side === 'base' ? 'head' : 'base';
  const text = (f: ChangedFile, s: Side) => (s === 'base' ? f.oldText : f.newText);
  const path = (f: ChangedFile, s: Side) => (s === 'base' ? (f.oldPath ?? f.path) : f.path);
  const { parseManifests } = await import('../kube/parse.js');
  const { parseSingleYaml } = await import('../core/yaml.js');
  const manifests = (f: ChangedFile, s: Side): KubeObject[] => {
    const t = text(f, s);
    const p = path(f, s);
    if (t === undefined || templated(p, t)) return [];
    return parseManifests(p, t, {
      defaultNamespace: input.config.kubernetes.defaultNamespace,
      scope: environmentsOfPath(input.config, p)[0] ?? '',
    }).objects;
  };
  const sourceIndex = new SourceIndex(input, side);
  for (const f of input.files) {
    const p = path(f, side);
    const here = text(f, side);
    if (here === undefined) continue;
    if (/\.(tf|tofu)$/.test(p)) {
      out.push(...(await moduleTargets(p, here, text(f, other))));
      continue;
    }
    if (!isYamlPath(p)) continue;
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (isKustomizationPath(p)) {
      out.push(...kustomizationTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    if (/^Chart\.ya?ml$/.test(name)) {
      out.push(...chartYamlTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    const objs = manifests(f, side);
    if (objs.length === 0) {
      if (/^values([.-][\w.-]+)?\.ya?ml$/.test(name))
        out.push(...valuesTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    const before = new Map(manifests(f, other).map((o) => [o.id, o]));
    for (const o of objs) out.push(...(await objectTargets(o, before.get(o.id), sourceIndex)));
  }
  // Images changed in rendered output (overlays, charts) that no file above showed.
  const seenImages = new Set(out.filter((t) => t.kind === 'image').map((t) => t.target));
  for (const f of input.findings ?? []) {
    if (f.rule !== 'kubernetes/image-changed' || !f.data) continue;
    const ref = String(side === 'base' ? f.data.from : f.data.to);
    if (!ref || ref === 'undefined' || seenImages.has(ref)) continue;
    seenImages.add(ref);
    out.push(
      imageTarget(
        ref,
        `${String(f.data.workload)} ${String(f.data.container)} (rendered)`,
        f.file,
        f.line,
        String(side === 'base' ? f.data.to : f.data.from),
      ),
    );
  }
  return dedupe(out);
}

function dedupe(list: RollbackTarget[]): RollbackTarget[] {
  const seen = new Set<string>();
  const out: RollbackTarget[] = [];
  for (const t of list) {
    const key = `${t.kind}\0${t.target}\0${t.file}\0${t.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.line - b.line || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
}

function imageTarget(ref: string, what: string, file: string, line: number, replacedBy: string | null): RollbackTarget {
  const base = { kind: 'image' as const, target: ref, what, file, line, replacedBy };
  if (isPlaceholder(ref))
    return { ...base, check: null, why: 'a template value: substituted later, not checked as written' };
  const p = parseOciReference(ref);
  if (!p.ok) return { ...base, check: null, why: p.reason };
  return { ...base, check: { kind: 'image', ref } };
}

function chartTarget(
  repo: string,
  chart: string,
  version: string,
  what: string,
  file: string,
  line: number,
  replacedBy: string | null,
): RollbackTarget {
  const target = `chart ${chart} ${version}${repo ? ` (${repo})` : ''}`;
  const base = { kind: 'chart' as const, target, what, file, line, replacedBy };
  if (isPlaceholder(version) || isPlaceholder(repo))
    return { ...base, check: null, why: 'a template value: substituted later, not checked as written' };
  if (!repo)
    return {
      ...base,
      check: null,
      why: 'the chart repository is not known from the repository (its source object was not found)',
    };
  if (!/^(https?|oci):\/\//i.test(repo))
    return { ...base, check: null, why: `${repo} is not a remote chart repository (https:// or oci://)` };
  return { ...base, check: { kind: 'chart', repo, chart, version } };
}

function gitTarget(
  raw: string,
  flavour: 'terraform' | 'kustomize',
  what: string,
  file: string,
  line: number,
  replacedBy: string | null,
): RollbackTarget {
  const src = parseGitSource(raw, flavour);
  const base = { kind: 'git' as const, target: raw.replace(/\/\/[^/@\s]*@/, '//'), what, file, line, replacedBy };
  if (!src) return { ...base, check: null, why: 'not a git source rollwright can read' };
  if (!src.ref)
    return { ...base, check: null, why: 'pins no ref: the default branch moves, so there is no fixed rollback target' };
  return { ...base, check: { kind: 'git', ...src } };
}

/** Where a line of a YAML text first mentions a string (1 when it does not). */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

// Kubernetes-shaped objects --------------------------------------------------------------------

async function objectTargets(
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
class SourceIndex {
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
    const { parseManifests } = await import('../kube/parse.js');
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

// Kustomize, Chart.yaml, values ------------------------------------------------------------------

type ParseYaml = (text: string) => { value: unknown };

function kustomizationTargets(
  file: string,
  here: string,
  there: string | undefined,
  parse: ParseYaml,
): RollbackTarget[] {
  const a = parse(here).value;
  if (!isObject(a)) return [];
  const b = there !== undefined ? parse(there).value : undefined;
  const bo = isObject(b) ? b : {};
  const out: RollbackTarget[] = [];
  const imagesOf = (v: JsonObject) =>
    new Map(
      (Array.isArray(v.images) ? v.images : []).flatMap((x) =>
        isObject(x) && typeof x.name === 'string'
          ? [
              [
                x.name,
                `${typeof x.newName === 'string' ? x.newName : x.name}${typeof x.digest === 'string' ? `@${x.digest}` : x.newTag !== undefined && x.newTag !== null ? `:${String(x.newTag)}` : ''}`,
              ] as const,
            ]
          : [],
      ),
    );
  const theirImages = imagesOf(bo);
  for (const [name, ref] of imagesOf(a)) {
    if (theirImages.get(name) === ref) continue;
    out.push(
      imageTarget(
        ref,
        `kustomization images: ${name}`,
        file,
        lineOf(here, `name: ${name}`),
        theirImages.get(name) ?? null,
      ),
    );
  }
  const theirRemote = new Set(localReferences(bo).remote);
  for (const r of localReferences(a).remote)
    if (!theirRemote.has(r))
      out.push(gitTarget(r, 'kustomize', 'kustomization remote resource', file, lineOf(here, r), null));
  const charts = (v: JsonObject) => (Array.isArray(v.helmCharts) ? v.helmCharts.filter(isObject) : []);
  const theirCharts = new Set(charts(bo).map((c) => JSON.stringify([c.name, c.repo, c.version])));
  for (const c of charts(a)) {
    if (typeof c.name !== 'string' || theirCharts.has(JSON.stringify([c.name, c.repo, c.version]))) continue;
    out.push(
      chartTarget(
        typeof c.repo === 'string' ? c.repo : '',
        c.name,
        c.version !== undefined ? String(c.version) : '*',
        'kustomization helmCharts',
        file,
        lineOf(here, `name: ${c.name}`),
        null,
      ),
    );
  }
  return out;
}

function chartYamlTargets(file: string, here: string, there: string | undefined, parse: ParseYaml): RollbackTarget[] {
  const a = parse(here).value;
  if (!isObject(a)) return [];
  const b = there !== undefined ? parse(there).value : undefined;
  const deps = (v: unknown) => (isObject(v) && Array.isArray(v.dependencies) ? v.dependencies.filter(isObject) : []);
  const theirs = new Map(deps(b).map((d) => [String(d.name), d]));
  const out: RollbackTarget[] = [];
  for (const d of deps(a)) {
    if (typeof d.name !== 'string' || typeof d.version !== 'string') continue;
    const was = theirs.get(d.name);
    if (was && was.version === d.version && was.repository === d.repository) continue;
    const repo = typeof d.repository === 'string' ? d.repository : '';
    if (repo.startsWith('file://') || repo === '') continue;
    const t = chartTarget(
      repo,
      d.name,
      d.version,
      `dependency ${d.name} of chart ${String(a.name ?? file)}`,
      file,
      lineOf(here, `name: ${d.name}`),
      was && typeof was.version === 'string' ? was.version : null,
    );
    out.push(
      repo.startsWith('@') || !/^(https?|oci):/.test(repo)
        ? {
            ...t,
            check: null,
            why: `repository ${repo} is a local alias: resolved by helm repo add, not from the chart`,
          }
        : t,
    );
  }
  return out;
}

/**
 * Images in a chart's values by the common convention: a map with `repository` and `tag` and/or
 * `digest` (and an optional `registry`), as most charts write `image:` blocks.
 */
function valuesTargets(file: string, here: string, there: string | undefined, parse: ParseYaml): RollbackTarget[] {
  const collect = (v: unknown, path: string[], out: Map<string, string>) => {
    if (Array.isArray(v)) v.forEach((x, i) => collect(x, [...path, String(i)], out));
    if (!isObject(v)) return;
    const repo = v.repository;
    const tag = v.tag;
    const digest = v.digest;
    if (
      typeof repo === 'string' &&
      (typeof tag === 'string' || typeof tag === 'number' || typeof digest === 'string')
    ) {
      const reg = typeof v.registry === 'string' && v.registry ? `${v.registry}/` : '';
      out.set(
        path.join('.'),
        `${reg}${repo}${typeof digest === 'string' && digest ? `@${digest}` : `:${String(tag)}`}`,
      );
      return;
    }
    for (const [k, x] of Object.entries(v)) collect(x, [...path, k], out);
  };
  const mine = new Map<string, string>();
  const theirs = new Map<string, string>();
  collect(parse(here).value, [], mine);
  if (there !== undefined) collect(parse(there).value, [], theirs);
  const out: RollbackTarget[] = [];
  for (const [p, ref] of mine) {
    if (theirs.get(p) === ref) continue;
    out.push(
      imageTarget(ref, `values ${p}`, file, lineOf(here, String(ref.split(/[:@]/).pop())), theirs.get(p) ?? null),
    );
  }
  return out;
}

// Terraform ------------------------------------------------------------------------------------

async function moduleTargets(file: string, here: string, there: string | undefined): Promise<RollbackTarget[]> {
  const [{ parseHcl }, { parseModuleSource, redactSource }, { expr }] = await Promise.all([
    import('../surfaces/terraform/hcl.js'),
    import('../surfaces/terraform/source.js'),
    import('../surfaces/terraform/space.js'),
  ]);
  const calls = async (text: string | undefined) => {
    const out = new Map<string, { source?: string; version?: string }>();
    if (text === undefined) return out;
    const r = await parseHcl(file, text);
    const mods = r.body && isObject(r.body.module as never) ? (r.body.module as Record<string, unknown>) : {};
    for (const [name, decl] of Object.entries(mods)) {
      const cfg = Array.isArray(decl) ? decl[0] : decl;
      if (!cfg || typeof cfg !== 'object') continue;
      const c = cfg as Record<string, unknown>;
      const source = expr(c.source);
      const version = expr(c.version);
      out.set(name, { ...(source !== undefined ? { source } : {}), ...(version !== undefined ? { version } : {}) });
    }
    return out;
  };
  const [mine, theirs] = await Promise.all([calls(here), calls(there)]);
  const out: RollbackTarget[] = [];
  for (const [name, c] of mine) {
    const was = theirs.get(name);
    if (!c.source || (was && was.source === c.source && was.version === c.version)) continue;
    const src = parseModuleSource(c.source);
    const line = lineOf(here, `module "${name}"`);
    const replacedBy = was
      ? [was.source ? redactSource(was.source) : '', was.version ?? ''].filter(Boolean).join(' ')
      : null;
    if (src.kind === 'registry') {
      const m = parseRegistrySource(c.source, c.version ?? '');
      const target = `${src.package} ${c.version ?? '(no version)'}`;
      const base = { kind: 'module' as const, target, what: `module.${name}`, file, line, replacedBy };
      out.push(
        m && c.version
          ? { ...base, check: { kind: 'module', ...m } }
          : { ...base, check: null, why: 'no version: the registry serves the newest, not a fixed rollback target' },
      );
    } else if (src.kind === 'git') out.push(gitTarget(c.source, 'terraform', `module.${name}`, file, line, replacedBy));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checking

/** Checks targets live (or offline); a target that cannot be checked says why. */
export async function checkTargets(
  targets: readonly RollbackTarget[],
  live: LiveOptions | LiveChecker,
): Promise<CheckedTarget[]> {
  const checker = live instanceof LiveChecker ? live : new LiveChecker(live);
  const checkable = targets.filter((t) => t.check !== null);
  const answers = await checker.checkAll(checkable.map((t) => t.check!));
  const byTarget = new Map(checkable.map((t, i) => [t, answers[i]!]));
  return targets.map((t) => {
    const a: LiveAnswer | undefined = byTarget.get(t);
    if (!a) return { ...t, status: 'unknown', reason: t.why ?? 'cannot be checked', source: 'not-checked' };
    return {
      ...t,
      status: a.status,
      reason: a.reason,
      source: checker.offline ? 'offline' : 'live',
      ...(a.digest !== undefined ? { digest: a.digest } : {}),
      ...(a.tagDigest !== undefined ? { tagDigest: a.tagDigest } : {}),
      ...(a.mediaType !== undefined ? { mediaType: a.mediaType } : {}),
      ...(a.signature !== undefined ? { signature: a.signature } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// A change, or a tree, end to end

export interface TargetReport {
  schema: typeof TARGETS_SCHEMA;
  /** `change`: what a rollback of base..head returns to; `tree`: everything the revision references. */
  mode: 'change' | 'tree';
  base: string | null;
  head: string;
  /** True when nothing was contacted (`--offline`, ROLLWRIGHT_OFFLINE=1): every status is unknown. */
  offline: boolean;
  targets: CheckedTarget[];
  counts: Record<LiveStatus, number>;
}

export function countStatuses(list: readonly { status: LiveStatus }[]): Record<LiveStatus, number> {
  const counts: Record<LiveStatus, number> = {
    present: 0,
    missing: 0,
    unauthorised: 0,
    unreachable: 0,
    'rate-limited': 0,
    unknown: 0,
  };
  for (const t of list) counts[t.status]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The decision's fact

/**
 * The answer to "does the previous artifact still exist and verify?" (the decision's fact
 * `artifact-available`) from a live check of the change's rollback targets, sourced `live`.
 *
 * `value` is `false` as soon as one target is missing (there is no plain rollback: roll forward, the
 * reason being "previous artifact missing"); `true` only when every checkable target is present; `null`
 * when the check gave no answer (offline, unreachable, unauthorised, rate-limited, nothing checkable),
 * in which case the decision keeps its assumption and lists it.
 */
export interface ArtifactFact {
  fact: 'artifact-available';
  value: boolean | null;
  source: 'live';
  /** One sentence for the rationale: what was found, naming the targets. */
  evidence: string;
  /** The refusal's reason when `value` is false. */
  refusal: string | null;
  /** The first previous image (for the fact `previous-artifact`), else the first target. */
  previousArtifact: string | null;
  missing: CheckedTarget[];
  /** Targets that could not be answered, with why (listed as assumptions by the decision). */
  unchecked: CheckedTarget[];
  /** Signatures of the previous images, as found. */
  signatures: Array<{ target: string } & Pick<SignatureReport, 'status' | 'via' | 'types'>>;
}

export function artifactFact(report: TargetReport): ArtifactFact {
  const t = report.targets;
  const missing = t.filter((x) => x.status === 'missing');
  const unchecked = t.filter((x) => x.status !== 'missing' && x.status !== 'present');
  const present = t.filter((x) => x.status === 'present');
  const signatures = present
    .filter((x) => x.signature)
    .map((x) => ({ target: x.target, status: x.signature!.status, via: x.signature!.via, types: x.signature!.types }));
  const first = t.find((x) => x.kind === 'image') ?? t[0];
  const sig = (x: CheckedTarget) =>
    x.signature
      ? x.signature.status === 'present'
        ? `, signed (${x.signature.types.join(', ') || 'signature'} via ${x.signature.via})`
        : `, ${x.signature.status === 'absent' ? 'unsigned' : `signature ${x.signature.status}`}`
      : '';
  let value: boolean | null;
  let evidence: string;
  if (missing.length > 0) {
    value = false;
    evidence = missing.map((x) => `${x.target} no longer exists (${x.reason})`).join('; ');
  } else if (present.length > 0 && unchecked.length === 0) {
    value = true;
    evidence = present.map((x) => `${x.target} exists${sig(x)}`).join('; ');
  } else {
    value = null;
    evidence =
      t.length === 0
        ? 'the change replaces no image, chart version or module ref that can be checked'
        : unchecked.map((x) => `${x.target}: ${x.status} (${x.reason})`).join('; ');
  }
  return {
    fact: 'artifact-available',
    value,
    source: 'live',
    evidence,
    refusal: value === false ? `previous artifact missing: ${missing.map((x) => x.target).join(', ')}` : null,
    previousArtifact: first ? first.target : null,
    missing,
    unchecked,
    signatures,
  };
}
