import { containersOf, get, isObject, type Json, type KubeObject } from './model.js';

/**
 * One place an object names a container image: a container of a workload, or an image in the Helm
 * values a Flux HelmRelease (`spec.values`) or an Argo CD Application (`spec.source.helm.valuesObject`)
 * passes to its chart, or in a chart's values file (see `VALUES_KIND`).
 */
export interface ImageSite {
  /** Pairs the same site across the change: `containers/web`, `values/server.image`. */
  key: string;
  /** For messages: `container web`, `init container migrate`, `image value server.image`. */
  label: string;
  /** Path of the reference inside the object, to point at. */
  path: Array<string | number>;
  /** The reference as the runtime gets it (a values image composed as charts do: `registry/repository:tag@digest`). */
  image: unknown;
}

/**
 * The kind of the stand-in object the helm surface builds for a chart's values file (its body is the
 * values document): read by the image rules only, never applied to a cluster.
 */
export const VALUES_KIND = 'HelmValues';
export const VALUES_GROUP = 'helm.sh';

/** Where an object keeps Helm values, or undefined when it has none. */
function valuesPath(obj: Pick<KubeObject, 'group' | 'kind'>): string[] | undefined {
  if (obj.group === 'helm.toolkit.fluxcd.io' && obj.kind === 'HelmRelease') return ['spec', 'values'];
  if (obj.group === 'argoproj.io' && obj.kind === 'Application') return ['spec', 'source', 'helm', 'valuesObject'];
  if (obj.group === VALUES_GROUP && obj.kind === VALUES_KIND) return [];
  return undefined;
}

/** `registry/repo[:port]/name[:tag][@digest]` written as one string, with a `/` or a `:` (not a word). */
const IMAGE_STRING = /^[a-z0-9][\w.-]*(?::\d+)?(?:\/[\w.-]+)*(?::[\w.-]+)?(?:@[a-z0-9]+:[a-f0-9]{32,})?$/;

function scalar(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The reference an image value names, as the conventional chart templates compose it, and where to
 * point: a string (`image: repo:tag`), or a map with `repository` and `tag` and/or `digest` (and an
 * optional `registry`, the Bitnami shape). A map without tag or digest is left out: most charts fall
 * back to the chart's `appVersion`, which the values do not say.
 */
function imageValue(v: Json | undefined): { image: string; at: string[] } | undefined {
  if (typeof v === 'string') {
    return IMAGE_STRING.test(v) && /[/:]/.test(v) ? { image: v, at: [] } : undefined;
  }
  if (!isObject(v)) return undefined;
  const repository = scalar(v.repository);
  if (!repository) return undefined;
  const registry = scalar(v.registry);
  const tag = scalar(v.tag);
  const digest = scalar(v.digest);
  if (!tag && !digest) return undefined;
  const image = `${registry ? `${registry}/` : ''}${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { image, at: [digest ? 'digest' : 'tag'] };
}

/**
 * The image values of a Helm values tree: every `image` key (at the top or under a component, e.g.
 * `server.image`) whose value is an image reference or a repository/tag/digest map. `used`, when
 * given, keeps only the keys the chart's templates read as an image.
 */
export function valuesImages(
  values: Json | undefined,
  base: readonly string[] = [],
  used?: (key: string) => boolean,
): ImageSite[] {
  const out: ImageSite[] = [];
  const walk = (v: Json | undefined, path: string[]) => {
    if (!isObject(v) || path.length > 6) return;
    for (const [k, x] of Object.entries(v)) {
      const here = [...path, k];
      if (k === 'image') {
        const found = imageValue(x);
        const key = here.join('.');
        if (found && (!used || used(key)))
          out.push({
            key: `values/${key}`,
            label: `value ${key}`,
            path: [...base, ...here, ...found.at],
            image: found.image,
          });
        continue;
      }
      walk(x, here);
    }
  };
  walk(values, []);
  return out;
}

/** Every image an object names: its containers, and the image values it passes to a chart. */
export function imageSitesOf(obj: KubeObject): ImageSite[] {
  const out: ImageSite[] = containersOf(obj).map((r) => ({
    key: `${r.kind}/${String(r.container.name)}`,
    label: `${r.kind === 'containers' ? 'container' : r.kind.replace(/s$/, '')} ${String(r.container.name)}`,
    path: [...r.path, 'image'],
    image: r.container.image,
  }));
  const vp = valuesPath(obj);
  if (vp) out.push(...valuesImages(get(obj.body, vp) as Json | undefined, vp));
  return out;
}
