/**
 * The rollback targets of files that are not Kubernetes objects: a kustomization's remote resources,
 * a Chart.yaml's dependencies, a values file's image references, a Terraform module call's source.
 */
import { parseRegistrySource } from '../../live/index.js';
import { isObject, type JsonObject } from '../../kube/model.js';
import { localReferences } from '../../surfaces/kustomize/model.js';
import { chartTarget, gitTarget, imageTarget, lineOf, type ParseYaml, type RollbackTarget } from './target.js';

export function kustomizationTargets(
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

export function chartYamlTargets(
  file: string,
  here: string,
  there: string | undefined,
  parse: ParseYaml,
): RollbackTarget[] {
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
export function valuesTargets(
  file: string,
  here: string,
  there: string | undefined,
  parse: ParseYaml,
): RollbackTarget[] {
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

export async function moduleTargets(file: string, here: string, there: string | undefined): Promise<RollbackTarget[]> {
  const [{ parseHcl }, { parseModuleSource, redactSource }, { expr }] = await Promise.all([
    import('../../surfaces/terraform/hcl.js'),
    import('../../surfaces/terraform/source.js'),
    import('../../surfaces/terraform/space.js'),
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
