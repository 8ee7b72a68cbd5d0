import { containersOf, get, isObject, parseImageRef, podSpecPath, type KubeObject } from '../../kube/model.js';

/**
 * Known controllers: image repositories and chart names that identify them, and `mentions`: the text
 * any manifest that installs or upgrades one must hold (an image repository, a chart name, the chart
 * repository's host or path), from which the surface's cheap text prefilter is built. A file that holds
 * none of them is not parsed.
 */
export const CONTROLLERS: ReadonlyArray<{
  name: string;
  image: RegExp;
  chart: RegExp;
  mentions: readonly string[];
  /** OCI artifacts that hold the controller's install manifests (CRDs included), by repository. */
  artifact?: RegExp;
  /** false: its chart ships no CustomResourceDefinitions (every other controller's does). */
  crds?: false;
  /**
   * Its 0.x minors that break a rollback (`0.28`), when its upgrade guide lists them: a 0.x jump that
   * crosses none is the compatibility window of a 1.x minor. Without a list, every 0.x minor is
   * breaking (SemVer 2.0.0 item 4).
   */
  breakingMinors?: readonly string[];
}> = [
  {
    name: 'Argo CD',
    image: /(^|\/)argoproj\/argocd$/,
    chart: /^argo-cd$/,
    // quay.io/argoproj/argocd; chart argo-cd from https://argoproj.github.io/argo-helm
    mentions: ['argoproj/argocd', 'argo-cd', 'argo-helm'],
  },
  {
    name: 'Argo Rollouts',
    image: /(^|\/)argoproj\/argo-rollouts$/,
    chart: /^argo-rollouts$/,
    mentions: ['argo-rollouts'],
  },
  {
    name: 'Flux',
    image: /(^|\/)fluxcd\/[a-z-]+-controller$/,
    chart: /^flux2?$/,
    // `flux install --export` as an OCI artifact: ghcr.io/fluxcd/flux-manifests
    artifact: /(^|\/)fluxcd\/flux-manifests$/,
    // ghcr.io/fluxcd/*-controller; chart flux2 from https://fluxcd-community.github.io/helm-charts
    mentions: ['fluxcd/', 'flux2', 'fluxcd-community'],
  },
  {
    name: 'External Secrets',
    image: /(^|\/)external-secrets\/external-secrets$/,
    chart: /^external-secrets$/,
    mentions: ['external-secrets'],
  },
  {
    name: 'cert-manager',
    image: /(^|\/)jetstack\/cert-manager-(controller|webhook|cainjector)$/,
    chart: /^cert-manager$/,
    // chart cert-manager from https://charts.jetstack.io
    mentions: ['cert-manager', 'jetstack'],
  },
  {
    name: 'ingress-nginx',
    image: /(^|\/)ingress-nginx\/controller$/,
    chart: /^ingress-nginx$/,
    mentions: ['ingress-nginx'],
    crds: false,
  },
  {
    name: 'Kyverno',
    image: /(^|\/)kyverno\/(kyverno|background-controller|cleanup-controller|reports-controller)$/,
    chart: /^kyverno$/,
    // the install manifests as an OCI artifact: ghcr.io/kyverno/manifests/kyverno
    artifact: /(^|\/)kyverno\/manifests\/kyverno$/,
    mentions: ['kyverno'],
  },
  {
    name: 'Gatekeeper',
    image: /(^|\/)openpolicyagent\/gatekeeper$/,
    chart: /^gatekeeper$/,
    mentions: ['gatekeeper'],
  },
  {
    name: 'Crossplane',
    image: /(^|\/)crossplane\/crossplane$/,
    chart: /^crossplane$/,
    mentions: ['crossplane'],
  },
  {
    name: 'Karpenter',
    // public.ecr.aws/karpenter/controller; chart karpenter from https://charts.karpenter.sh, later
    // oci://public.ecr.aws/karpenter/karpenter (its CRDs in the chart's crds/ directory)
    image: /(^|\/)karpenter\/controller$/,
    chart: /^karpenter$/,
    mentions: ['karpenter'],
    // Its upgrade guide (karpenter.sh/v0.36/upgrading/upgrade-guide): 0.12 renames the awsnodetemplate
    // CRD to awsnodetemplates and owns nodes by their Provisioner; 0.13 adds the AWSNodeTemplate CRD; 0.28 adds the Machine CRD (a
    // rollback leaves Machines to delete by hand, finalizers patched out); 0.32 adds the v1beta1 APIs
    // (only 0.31.4 handles a rollback once they are used); 0.33 serves the v1beta1 APIs only (no
    // Provisioner, AWSNodeTemplate or Machine); 0.36 changes drift hashing (a rollback below 0.32.9,
    // 0.33.4, 0.34.5 or 0.35.4 may drift every node). The minors between change no API a rollback meets.
    breakingMinors: ['0.12', '0.13', '0.28', '0.32', '0.33', '0.36'],
  },
  { name: 'a CSI driver', image: /csi[-_]?driver|-csi-|\/csi-|csi$/i, chart: /csi/i, mentions: ['csi'] },
];

/** The surface's prefilter: text that mentions a known controller (built from `CONTROLLERS[].mentions`). */
export const MENTIONS_KNOWN_CONTROLLER = new RegExp(
  CONTROLLERS.flatMap((c) => c.mentions)
    .map((m) => m.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('|'),
  'i',
);

/**
 * The objects that carry a controller's version: workloads (their images), Flux HelmReleases and
 * Argo CD Applications (their charts), Crossplane Providers (their packages), and the CRDs that come
 * with an upgrade.
 */
export function isControllerCarrier(o: Pick<KubeObject, 'group' | 'kind' | 'apiVersion'>): boolean {
  return (
    podSpecPath(o) !== undefined ||
    (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') ||
    (o.group === 'argoproj.io' && o.kind === 'Application') ||
    (o.group === 'pkg.crossplane.io' && o.kind === 'Provider') ||
    (o.group === 'source.toolkit.fluxcd.io' && (o.kind === 'OCIRepository' || o.kind === 'GitRepository')) ||
    (o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition')
  );
}

export function controllerOfImage(name: string): string | undefined {
  return CONTROLLERS.find((c) => c.image.test(name))?.name;
}
export function controllerOfChart(chart: string): string | undefined {
  return CONTROLLERS.find((c) => c.chart.test(chart))?.name;
}
/** A known controller's 0.x minors that break a rollback, by its name (see `breakingMinors`). */
export function breakingMinorsOf(controller: string): readonly string[] | undefined {
  return CONTROLLERS.find((c) => c.name === controller)?.breakingMinors;
}
/** The controller a chart installs, and whether the chart ships its CRDs. */
export function chartController(
  chart: string,
): { controller: string; crds: boolean; breakingMinors?: readonly string[] } | undefined {
  const c = CONTROLLERS.find((x) => x.chart.test(chart));
  return c ? { controller: c.name, crds: c.crds !== false, breakingMinors: c.breakingMinors } : undefined;
}

export interface ControllerVersion {
  controller: string;
  /** What carries it: an image name, a chart, a package. */
  what: string;
  version: string;
  path: Array<string | number>;
  /**
   * The version names a whole install bundle (an OCI artifact or a release of install manifests, a
   * source the controller's repository): its CRDs move with it, unseen in this repository.
   */
  bundle?: boolean;
}

/**
 * The controller an artifact or repository name stands for: a known install-manifests artifact, a
 * controller image, or a repository named like the controller's chart (`kyverno/kyverno`,
 * `cert-manager/cert-manager`, `fluxcd/flux2`). `bundle`: it holds install manifests, CRDs included.
 */
export function controllerOfArtifact(name: string): { controller: string; bundle: boolean } | undefined {
  const byArtifact = CONTROLLERS.find((c) => c.artifact?.test(name));
  if (byArtifact) return { controller: byArtifact.name, bundle: true };
  const byImage = controllerOfImage(name);
  if (byImage) return { controller: byImage, bundle: false };
  const last = name.split('/').pop() ?? '';
  // The broad CSI pattern names no repository reliably: only named controllers count here.
  const byChart = CONTROLLERS.find((c) => c.name !== 'a CSI driver' && c.chart.test(last));
  return byChart ? { controller: byChart.name, bundle: false } : undefined;
}

/** The version a Flux source's `spec.ref` selects: tag, semver range, digest or commit, with its path. */
function sourceRef(o: KubeObject): { version: string; path: Array<string | number> } | undefined {
  for (const k of ['tag', 'semver', 'digest', 'commit', 'name']) {
    const v = get(o.body, ['spec', 'ref', k]);
    if (typeof v === 'string' && v !== '') return { version: v, path: ['spec', 'ref', k] };
  }
  return undefined;
}

/** The controller versions an object pins: workload images, HelmRelease/Application charts, Crossplane packages. */
export function controllerVersions(o: KubeObject): ControllerVersion[] {
  const out: ControllerVersion[] = [];
  for (const { path, container } of containersOf(o)) {
    if (typeof container.image !== 'string') continue;
    const ref = parseImageRef(container.image);
    const controller = controllerOfImage(ref.name);
    const version = ref.tag ?? ref.digest;
    if (controller && version) out.push({ controller, what: `image ${ref.name}`, version, path: [...path, 'image'] });
  }
  if (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') {
    const chart = get(o.body, ['spec', 'chart', 'spec', 'chart']);
    const version = get(o.body, ['spec', 'chart', 'spec', 'version']);
    const controller = typeof chart === 'string' ? controllerOfChart(chart) : undefined;
    if (controller && typeof version === 'string')
      out.push({ controller, what: `chart ${String(chart)}`, version, path: ['spec', 'chart', 'spec', 'version'] });
  }
  if (o.group === 'argoproj.io' && o.kind === 'Application') {
    const s = get(o.body, ['spec', 'source']);
    if (isObject(s) && typeof s.chart === 'string' && typeof s.targetRevision === 'string') {
      const controller = controllerOfChart(s.chart);
      if (controller)
        out.push({
          controller,
          what: `chart ${s.chart}`,
          version: s.targetRevision,
          path: ['spec', 'source', 'targetRevision'],
        });
    }
  }
  if (o.group === 'source.toolkit.fluxcd.io' && (o.kind === 'OCIRepository' || o.kind === 'GitRepository')) {
    const url = get(o.body, ['spec', 'url']);
    const ref = sourceRef(o);
    if (typeof url === 'string' && ref) {
      const name = url
        .replace(/^[a-z]+:\/\//i, '')
        .replace(/^git@([^:]+):/, '$1/')
        .replace(/\.git$/, '')
        .replace(/\/+$/, '');
      const known = controllerOfArtifact(name);
      if (known)
        out.push({
          controller: known.controller,
          what: o.kind === 'OCIRepository' ? `OCI artifact ${name}` : `Git repository ${name}`,
          version: ref.version,
          path: ref.path,
          // A Git source of the controller's own repository applies its manifests (CRDs included).
          bundle: known.bundle || o.kind === 'GitRepository',
        });
    }
  }
  if (o.group === 'pkg.crossplane.io' && o.kind === 'Provider') {
    const pkg = get(o.body, ['spec', 'package']);
    if (typeof pkg === 'string') {
      const ref = parseImageRef(pkg);
      const version = ref.tag ?? ref.digest;
      if (version)
        out.push({
          controller: `Crossplane provider ${ref.name.split('/').pop()}`,
          what: `package ${ref.name}`,
          version,
          path: ['spec', 'package'],
        });
    }
  }
  return out;
}
