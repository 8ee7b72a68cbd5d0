import { posix } from 'node:path';
import type { RepoReader } from '../core/change.js';
import { parseYaml } from '../core/yaml.js';
import { describeObject, get, isObject, pruneProtection, type KubeObject } from './model.js';
import { parseManifests } from './parse.js';

/**
 * What a GitOps controller deploys from a path of this repository, read statically (no kustomize or
 * helm binary): the objects a cascading delete would take with it. Used when a Flux Kustomization
 * with `prune: true`, or an Argo CD Application with the resources finalizer, leaves Git: the
 * controller garbage-collects everything it applied, so the deletion is as destructive as the most
 * destructive object in its inventory.
 */
export interface ManagedContent {
  /** Objects read from the path (nested GitOps objects followed). */
  objects: number;
  /** Data-bearing objects the cascade deletes, described for messages. */
  stateful: string[];
  /** Why part of what it deploys could not be read (remote base, chart dependency, path not in the repository). */
  unread: string[];
}

/** Placeholder a Helm template expression is read as: never a valid literal kind or name of a real manifest. */
export const TEMPLATE_PLACEHOLDER = 'x-rollwright-templated-x';

const CONTROL = /^\s*\{\{-?\s*(if|else|end|range|with|define|template|block)\b/;
const WHOLE_LINE_EXPR = /^\s*(-\s*)?\{\{[^}]*\}\}\s*$/;

/**
 * A Helm template read without helm: every document whose structure is literal (no control action
 * such as `if`/`range`/`define`, no expression standing alone on a line, which would emit YAML) is
 * kept, with each `{{ ... }}` expression replaced by a placeholder scalar; other documents are blanked.
 * Lines are kept, so locations stay right. Callers drop objects whose kind or name holds the placeholder.
 */
export function staticTemplate(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let doc: string[] = [];
  const flush = (): void => {
    const dynamic = doc.some((l) => CONTROL.test(l) || WHOLE_LINE_EXPR.test(l));
    for (const l of doc) out.push(dynamic ? '' : l.replace(/\{\{.*?\}\}/g, TEMPLATE_PLACEHOLDER));
    doc = [];
  };
  for (const l of lines) {
    if (/^---(\s|$)/.test(l)) {
      flush();
      out.push(l);
    } else doc.push(l);
  }
  flush();
  return out.join('\n');
}

/** Whether an object read by staticTemplate has a literal kind, apiVersion and name. */
export function literalIdentity(o: Pick<KubeObject, 'kind' | 'name' | 'apiVersion' | 'namespace'>): boolean {
  return ![o.kind, o.name, o.apiVersion, o.namespace].some((v) => v.includes(TEMPLATE_PLACEHOLDER));
}

/** Whether an object holds data that its deletion destroys (claims, volumes, namespaces, claim-deleting StatefulSets). */
export function dataBearing(o: KubeObject): boolean {
  if (pruneProtection(o)) return false;
  if (o.group === '' && (o.kind === 'PersistentVolumeClaim' || o.kind === 'Namespace')) return true;
  if (o.group === '' && o.kind === 'PersistentVolume')
    return get(o.body, ['spec', 'persistentVolumeReclaimPolicy']) === 'Delete';
  if (o.group === 'apps' && o.kind === 'StatefulSet')
    return get(o.body, ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted']) === 'Delete';
  return false;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST = /\.(ya?ml|json)$/i;
const LIMIT = 400;

export interface ManagedOptions {
  defaultNamespace: string;
  /** Follows nested GitOps objects found in the content (a Flux Kustomization, an Argo CD Application). */
  nested?: (o: KubeObject) => { path?: string; unread?: string } | undefined;
}

/**
 * Reads what a controller applies from `path` at one side of the change: a kustomization's resources
 * (followed through local files and directories), a Helm chart's literal templates, or, as Flux and
 * Argo CD do for a plain directory, every manifest below it.
 */
export async function managedContent(
  repo: RepoReader,
  side: 'base' | 'head',
  path: string,
  opts: ManagedOptions,
): Promise<ManagedContent> {
  const out: ManagedContent = { objects: 0, stateful: [], unread: [] };
  const seen = new Set<string>();
  let files = 0;

  const readObjects = async (file: string, templated: boolean): Promise<void> => {
    if (++files > LIMIT) return;
    const raw = await repo.readText(side, file);
    if (raw === undefined) return;
    const text = templated ? staticTemplate(raw) : raw;
    const parsed = parseManifests(file, text, { defaultNamespace: opts.defaultNamespace });
    for (const o of parsed.objects) {
      if (templated && !literalIdentity(o)) continue;
      out.objects++;
      if (dataBearing(o)) out.stateful.push(`${describeObject(o)} (${file})`);
      const next = opts.nested?.(o);
      if (next?.unread) out.unread.push(next.unread);
      if (next?.path) await walk(next.path, `${describeObject(o)}`);
    }
  };

  const walk = async (dir: string, via: string): Promise<void> => {
    const d = posix.normalize(dir.replace(/^\.?\/+/, '')).replace(/\/+$/, '');
    const norm = d === '.' ? '' : d;
    if (seen.has(norm) || files > LIMIT) return;
    seen.add(norm);
    if (norm.startsWith('..')) {
      out.unread.push(`${via}: path ${dir} is outside the repository`);
      return;
    }
    const entries = await repo.listDir(side, norm);
    if (entries.length === 0) {
      if (MANIFEST.test(norm) && (await repo.readText(side, norm)) !== undefined) return readObjects(norm, false);
      out.unread.push(`${via}: path ${dir || './'} is not in this repository`);
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    const kfile = KUSTOMIZATION_FILES.find((k) => names.has(k));
    if (kfile) return kustomization(norm, kfile, via);
    if (names.has('Chart.yaml')) return chart(norm, via);
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = norm ? `${norm}/${e.name}` : e.name;
      if (e.type === 'tree') await walk(p, via);
      else if (MANIFEST.test(e.name)) await readObjects(p, false);
    }
  };

  const kustomization = async (dir: string, file: string, via: string): Promise<void> => {
    const text = await repo.readText(side, `${dir ? `${dir}/` : ''}${file}`);
    const doc = text === undefined ? undefined : parseYaml(text).docs[0];
    const k = doc && !doc.error ? doc.value : undefined;
    if (!isObject(k)) {
      out.unread.push(`${via}: ${dir}/${file} could not be read`);
      return;
    }
    if (Array.isArray(k.helmCharts) && k.helmCharts.length > 0)
      out.unread.push(`${via}: ${dir}/${file} inflates Helm charts (helmCharts), not rendered here`);
    const entries = [k.resources, k.bases, k.components].flatMap((v) => (Array.isArray(v) ? v : []));
    for (const r of entries) {
      if (typeof r !== 'string') continue;
      if (/^[a-z]+:\/\/|^git@|^github\.com\//i.test(r)) {
        out.unread.push(`${via}: remote resource ${r} is not read`);
        continue;
      }
      const p = posix.join(dir, r);
      if (p.startsWith('..')) {
        out.unread.push(`${via}: ${r} is outside the repository`);
        continue;
      }
      if (MANIFEST.test(r) && (await repo.readText(side, p)) !== undefined) await readObjects(p, false);
      else await walk(p, via);
    }
  };

  const chart = async (dir: string, via: string): Promise<void> => {
    const meta = parseYaml((await repo.readText(side, `${dir}/Chart.yaml`)) ?? '').docs[0]?.value;
    const deps = isObject(meta) && Array.isArray(meta.dependencies) ? meta.dependencies.length : 0;
    const req = await repo.readText(side, `${dir}/requirements.yaml`);
    if (deps > 0 || (req !== undefined && /\bdependencies:/.test(req)))
      out.unread.push(`${via}: the chart ${dir} has dependencies (subcharts) that are not rendered here`);
    const templates = await repo.listDir(side, `${dir}/templates`);
    for (const e of templates)
      if (e.type === 'blob' && MANIFEST.test(e.name)) await readObjects(`${dir}/templates/${e.name}`, true);
  };

  await walk(path, 'its path');
  if (files > LIMIT) out.unread.push(`more than ${LIMIT} files: the rest is not read`);
  return out;
}
