import { get, isObject, type KubeObject } from '../../kube/model.js';

/**
 * How Flux reads its objects: the surface's rules and the incident decision (which Kustomization or
 * HelmRelease reconciles a path, from which source, whether it is suspended) share these readers.
 */

export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';
/** The namespace Flux is installed in by default (`flux install`, `flux bootstrap`). */
export const FLUX_NAMESPACE = 'flux-system';

/** The Flux kinds this surface understands, by group. */
export const FLUX_KINDS: Record<string, readonly string[]> = {
  [FLUX_SOURCE_GROUP]: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  [FLUX_KUSTOMIZE_GROUP]: ['Kustomization'],
  [FLUX_HELM_GROUP]: ['HelmRelease'],
};

export function isFlux(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return FLUX_KINDS[o.group]?.includes(o.kind) ?? false;
}

/** The `flux` CLI noun for a kind, for the commands in messages. */
export function cliNoun(kind: string): string {
  switch (kind) {
    case 'Kustomization':
      return 'kustomization';
    case 'HelmRelease':
      return 'helmrelease';
    case 'GitRepository':
      return 'source git';
    case 'OCIRepository':
      return 'source oci';
    case 'HelmRepository':
      return 'source helm';
    case 'HelmChart':
      return 'source chart';
    case 'Bucket':
      return 'source bucket';
    default:
      return kind.toLowerCase();
  }
}

type Body = Pick<KubeObject, 'body'>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `spec.suspend: true`: the controller does not reconcile the object until `flux resume`. */
export function isSuspended(o: Body): boolean {
  return get(o.body, ['spec', 'suspend']) === true;
}

/** A Kustomization's `spec.prune: true`: objects removed from the source are deleted from the cluster. */
export function prunes(o: Body): boolean {
  return get(o.body, ['spec', 'prune']) === true;
}

/** Whether a Flux Kustomization reads its manifests from a GitRepository (its path then is one of this repository's). */
export function readsThisRepository(o: Body): boolean {
  const ref = get(o.body, ['spec', 'sourceRef']);
  return !isObject(ref) || ref.kind === undefined || ref.kind === 'GitRepository';
}

/** The path a Kustomization applies in its source (`spec.path`; the source's root, `./`, when empty). */
export function kustomizationPath(o: Body): string {
  return str(get(o.body, ['spec', 'path'])) ?? './';
}

/** The `sourceRef` that points to a GitRepository: a Kustomization's own, or a HelmRelease's chart's. */
function gitSourceRef(o: Pick<KubeObject, 'kind' | 'body'>): Record<string, unknown> | undefined {
  const ref =
    o.kind === 'HelmRelease' ? get(o.body, ['spec', 'chart', 'spec', 'sourceRef']) : get(o.body, ['spec', 'sourceRef']);
  return isObject(ref) && ref.kind === 'GitRepository' ? ref : undefined;
}

/**
 * The GitRepository (`namespace/name`) a Kustomization reads, or a HelmRelease's chart comes from;
 * undefined for any other source. A sourceRef without a namespace names one in the object's own.
 */
export function gitRepositoryOf(o: Pick<KubeObject, 'kind' | 'body'>): string | undefined {
  const ref = gitSourceRef(o);
  const name = ref && str(ref.name);
  if (!ref || !name) return undefined;
  return `${str(ref.namespace) ?? str(get(o.body, ['metadata', 'namespace'])) ?? FLUX_NAMESPACE}/${name}`;
}

/** The chart path of a HelmRelease whose chart comes from a GitRepository (`spec.chart.spec.chart`); undefined otherwise. */
export function gitChartPath(o: Pick<KubeObject, 'kind' | 'body'>): string | undefined {
  if (o.kind !== 'HelmRelease' || !gitSourceRef(o)) return undefined;
  return str(get(o.body, ['spec', 'chart', 'spec', 'chart'])) ?? '';
}

/** A GitRepository's `spec.url`. */
export function gitRepositoryUrl(o: Body): string | undefined {
  return str(get(o.body, ['spec', 'url']));
}
