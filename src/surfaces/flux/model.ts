import type { KubeObject } from '../../kube/model.js';

/** The Flux kinds this surface understands, by group. */
export const FLUX_KINDS: Record<string, readonly string[]> = {
  'source.toolkit.fluxcd.io': ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  'kustomize.toolkit.fluxcd.io': ['Kustomization'],
  'helm.toolkit.fluxcd.io': ['HelmRelease'],
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
