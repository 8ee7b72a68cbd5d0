/**
 * The Kubernetes kind each typed resource of the Terraform Kubernetes provider (hashicorp/kubernetes)
 * writes, as `group/Kind` (the core group is empty): `kubernetes_deployment` and
 * `kubernetes_deployment_v1` both write an apps/v1 Deployment. The versioned names (`_v1`, `_v2`,
 * `_v2beta2`) are the same kinds at a pinned API version (provider docs, "Resources").
 * `kubectl_manifest` (gavinbunney/kubectl, alekc/kubectl) and `kubernetes_manifest` carry their kind in
 * the manifest they hold, read by kube-objects.ts.
 *
 * The patch resources (`kubernetes_labels`, `kubernetes_annotations`, `kubernetes_env`,
 * `kubernetes_config_map_v1_data`, `kubernetes_node_taint`) own fields of an object they did not
 * create: destroying one takes those fields off the object (provider docs of each), and the apply of
 * a revert writes them back.
 */
const KINDS: Record<string, string> = {
  deployment: 'apps/Deployment',
  daemonset: 'apps/DaemonSet',
  daemon_set: 'apps/DaemonSet',
  stateful_set: 'apps/StatefulSet',
  replication_controller: '/ReplicationController',
  pod: '/Pod',
  job: 'batch/Job',
  cron_job: 'batch/CronJob',
  service: '/Service',
  config_map: '/ConfigMap',
  secret: '/Secret',
  service_account: '/ServiceAccount',
  default_service_account: '/ServiceAccount',
  endpoints: '/Endpoints',
  limit_range: '/LimitRange',
  resource_quota: '/ResourceQuota',
  namespace: '/Namespace',
  persistent_volume_claim: '/PersistentVolumeClaim',
  persistent_volume: '/PersistentVolume',
  ingress: 'networking.k8s.io/Ingress',
  ingress_class: 'networking.k8s.io/IngressClass',
  network_policy: 'networking.k8s.io/NetworkPolicy',
  role: 'rbac.authorization.k8s.io/Role',
  role_binding: 'rbac.authorization.k8s.io/RoleBinding',
  cluster_role: 'rbac.authorization.k8s.io/ClusterRole',
  cluster_role_binding: 'rbac.authorization.k8s.io/ClusterRoleBinding',
  horizontal_pod_autoscaler: 'autoscaling/HorizontalPodAutoscaler',
  pod_disruption_budget: 'policy/PodDisruptionBudget',
  priority_class: 'scheduling.k8s.io/PriorityClass',
  storage_class: 'storage.k8s.io/StorageClass',
  csi_driver: 'storage.k8s.io/CSIDriver',
  validating_webhook_configuration: 'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  mutating_webhook_configuration: 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  runtime_class: 'node.k8s.io/RuntimeClass',
  api_service: 'apiregistration.k8s.io/APIService',
};

/** Resources that patch fields of an object they do not own, and what they patch. */
const PATCHES: Record<string, string> = {
  labels: 'labels',
  annotations: 'annotations',
  env: 'environment variables',
  config_map_v1_data: 'ConfigMap keys',
  node_taint: 'Node taints',
};

/** `kubernetes_deployment_v1` -> `deployment`; undefined for a type of another provider. */
function stem(type: string): string | undefined {
  const m = /^kubernetes_(.+?)(?:_v\d+(?:beta\d+)?)?$/.exec(type);
  return m?.[1];
}

/** The `group/Kind` a typed resource writes, or undefined. */
export function typedKind(type: string): { group: string; kind: string } | undefined {
  const s = stem(type);
  const k = s === undefined ? undefined : KINDS[s];
  if (!k) return undefined;
  const [group, kind] = k.split('/') as [string, string];
  return { group, kind };
}

/** What a patch resource (`kubernetes_labels`, `kubernetes_config_map_v1_data`, ...) writes, or undefined. */
export function patchOf(type: string): string | undefined {
  const s = stem(type);
  return s === undefined ? undefined : PATCHES[s];
}

/** Whether a resource type writes a Kubernetes object (a manifest resource or a typed kubernetes_* kind). */
export function writesKubeObject(type: string): boolean {
  return type === 'kubectl_manifest' || type === 'kubernetes_manifest' || typedKind(type) !== undefined;
}

/** The attributes of a planned change's values that say which object it writes (kube-objects.ts `kubeObjectOfValues`). */
export const KUBE_OBJECT_ATTRIBUTES = [
  'yaml_body',
  'api_version',
  'kind',
  'name',
  'namespace',
  'override_namespace',
  'apply_only',
  'manifest',
  'metadata',
  'spec',
  'type',
  'data',
  'binary_data',
] as const;
