/**
 * Data for `removed-api-version`: built-in API versions the API server stopped serving, per Kubernetes
 * minor, with the replacement. Source: the Kubernetes Deprecated API Migration Guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/), one row per kind and version.
 */
export interface RemovedApi {
  /** The written `group/version` (`extensions/v1beta1`, `policy/v1beta1`). */
  apiVersion: string;
  kind: string;
  /** The first minor (of 1.x) that no longer serves it. */
  removedIn: number;
  /** The `group/version` to use instead; undefined when the kind itself is gone. */
  replacement?: string;
  /** What to know when migrating (from the guide). */
  note?: string;
}

const GUIDE = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

const rows = (removedIn: number, apiVersion: string, kinds: string[], replacement?: string, note?: string) =>
  kinds.map((kind) => ({
    apiVersion,
    kind,
    removedIn,
    ...(replacement ? { replacement } : {}),
    ...(note ? { note } : {}),
  }));

export const REMOVED_APIS: readonly RemovedApi[] = [
  // v1.16 (#v1-16)
  ...rows(16, 'extensions/v1beta1', ['NetworkPolicy'], 'networking.k8s.io/v1'),
  ...rows(
    16,
    'extensions/v1beta1',
    ['PodSecurityPolicy'],
    'policy/v1beta1',
    'policy/v1beta1 was itself removed in 1.25',
  ),
  ...rows(
    16,
    'extensions/v1beta1',
    ['DaemonSet', 'Deployment', 'ReplicaSet'],
    'apps/v1',
    'spec.selector is required and immutable in apps/v1',
  ),
  ...rows(
    16,
    'apps/v1beta1',
    ['Deployment', 'StatefulSet', 'ReplicaSet'],
    'apps/v1',
    'spec.selector is required and immutable in apps/v1',
  ),
  ...rows(
    16,
    'apps/v1beta2',
    ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'],
    'apps/v1',
    'spec.selector is required and immutable in apps/v1',
  ),
  // v1.22 (#v1-22)
  ...rows(
    22,
    'admissionregistration.k8s.io/v1beta1',
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    'admissionregistration.k8s.io/v1',
    'failurePolicy defaults to Fail and sideEffects is required in v1',
  ),
  ...rows(
    22,
    'apiextensions.k8s.io/v1beta1',
    ['CustomResourceDefinition'],
    'apiextensions.k8s.io/v1',
    'v1 requires a structural schema per version',
  ),
  ...rows(22, 'apiregistration.k8s.io/v1beta1', ['APIService'], 'apiregistration.k8s.io/v1'),
  ...rows(22, 'authentication.k8s.io/v1beta1', ['TokenReview'], 'authentication.k8s.io/v1'),
  ...rows(
    22,
    'authorization.k8s.io/v1beta1',
    ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'],
    'authorization.k8s.io/v1',
  ),
  ...rows(22, 'certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 'certificates.k8s.io/v1'),
  ...rows(22, 'coordination.k8s.io/v1beta1', ['Lease'], 'coordination.k8s.io/v1'),
  ...rows(
    22,
    'extensions/v1beta1',
    ['Ingress'],
    'networking.k8s.io/v1',
    'backend fields are renamed (service.name, service.port) and pathType is required',
  ),
  ...rows(
    22,
    'networking.k8s.io/v1beta1',
    ['Ingress'],
    'networking.k8s.io/v1',
    'backend fields are renamed (service.name, service.port) and pathType is required',
  ),
  ...rows(22, 'networking.k8s.io/v1beta1', ['IngressClass'], 'networking.k8s.io/v1'),
  ...rows(
    22,
    'rbac.authorization.k8s.io/v1beta1',
    ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    'rbac.authorization.k8s.io/v1',
  ),
  ...rows(22, 'scheduling.k8s.io/v1beta1', ['PriorityClass'], 'scheduling.k8s.io/v1'),
  ...rows(
    22,
    'storage.k8s.io/v1beta1',
    ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    'storage.k8s.io/v1',
  ),
  // v1.25 (#v1-25)
  ...rows(25, 'batch/v1beta1', ['CronJob'], 'batch/v1'),
  ...rows(25, 'discovery.k8s.io/v1beta1', ['EndpointSlice'], 'discovery.k8s.io/v1'),
  ...rows(25, 'events.k8s.io/v1beta1', ['Event'], 'events.k8s.io/v1'),
  ...rows(25, 'autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 'autoscaling/v2'),
  ...rows(
    25,
    'policy/v1beta1',
    ['PodDisruptionBudget'],
    'policy/v1',
    'an empty spec.selector selects every pod of the namespace in policy/v1',
  ),
  ...rows(
    25,
    'policy/v1beta1',
    ['PodSecurityPolicy'],
    undefined,
    'PodSecurityPolicy is gone: use Pod Security Admission or a policy engine',
  ),
  ...rows(25, 'node.k8s.io/v1beta1', ['RuntimeClass'], 'node.k8s.io/v1'),
  // v1.26 (#v1-26)
  ...rows(
    26,
    'flowcontrol.apiserver.k8s.io/v1beta1',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  ...rows(26, 'autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 'autoscaling/v2'),
  // v1.27 (#v1-27)
  ...rows(27, 'storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 'storage.k8s.io/v1'),
  // v1.29 (#v1-29)
  ...rows(
    29,
    'flowcontrol.apiserver.k8s.io/v1beta2',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1',
  ),
  // v1.32 (#v1-32)
  ...rows(
    32,
    'flowcontrol.apiserver.k8s.io/v1beta3',
    ['FlowSchema', 'PriorityLevelConfiguration'],
    'flowcontrol.apiserver.k8s.io/v1',
  ),
];

/** The guide's section for a minor. */
export function guideLink(minor: number): string {
  return `${GUIDE}#v1-${minor}`;
}

const BY_KEY = new Map(REMOVED_APIS.map((r) => [`${r.apiVersion}/${r.kind}`, r]));

/** The removal row when `apiVersion` of `kind` is no longer served at 1.`minor`. */
export function removedAt(apiVersion: string, kind: string, minor: number): RemovedApi | undefined {
  const row = BY_KEY.get(`${apiVersion}/${kind}`);
  return row && minor >= row.removedIn ? row : undefined;
}
