/**
 * What rollwright knows about built-in Kubernetes kinds: which are cluster-scoped (so that an
 * object without a namespace is not defaulted into one), and which groups are built in.
 */
export const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  // Well-known cluster-scoped custom resources.
  'cert-manager.io/ClusterIssuer',
  'kyverno.io/ClusterPolicy',
  'kyverno.io/ClusterCleanupPolicy',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'templates.gatekeeper.sh/ConstraintTemplate',
  'config.gatekeeper.sh/Config',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'snapshot.storage.k8s.io/VolumeSnapshotContent',
  'gateway.networking.k8s.io/GatewayClass',
  'pkg.crossplane.io/Provider',
  'pkg.crossplane.io/Configuration',
  'apiextensions.crossplane.io/CompositeResourceDefinition',
  'apiextensions.crossplane.io/Composition',
]);

/** Groups served by the API server itself (the empty string is the core group). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'apiextensions.k8s.io',
  'admissionregistration.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io',
  'events.k8s.io',
  'resource.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'internal.apiserver.k8s.io',
  'storagemigration.k8s.io',
  'extensions',
]);

export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/**
 * Groups of files that configure a build tool rather than describe a live object
 * (kustomization.yaml, kustomize components): never applied to a cluster.
 */
export const BUILD_CONFIG_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io']);

/**
 * Groups of files that configure a tool or a cluster component, read from disk by that tool and never
 * served by an API server: Kubernetes component configs (`*.config.k8s.io`: kubelet, kube-proxy,
 * kube-scheduler, apiserver), kubeadm, kpt's Kptfile, kind, k3d, ctlptl and eksctl cluster configs.
 */
export function isToolConfigGroup(group: string): boolean {
  return (
    group.endsWith('.config.k8s.io') ||
    ['kubeadm.k8s.io', 'kpt.dev', 'kind.x-k8s.io', 'k3d.io', 'ctlptl.dev', 'eksctl.io'].includes(group)
  );
}

export function isClusterScoped(group: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${group}/${kind}`);
}

/** Where each workload kind keeps its pod template. */
export const POD_TEMPLATE_PATH: Record<string, readonly string[]> = {
  'apps/Deployment': ['spec', 'template'],
  'apps/StatefulSet': ['spec', 'template'],
  'apps/DaemonSet': ['spec', 'template'],
  'apps/ReplicaSet': ['spec', 'template'],
  'batch/Job': ['spec', 'template'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  '/ReplicationController': ['spec', 'template'],
  '/PodTemplate': ['template'],
  'argoproj.io/Rollout': ['spec', 'template'],
};

/** Kinds whose pod spec sits at `spec` directly. */
export const POD_KINDS = new Set(['/Pod']);

/**
 * The same object served under an old group: the API server stores one object whichever group it
 * was written with (extensions/v1beta1 Deployment is apps/v1 Deployment), so identity uses the
 * current group and a move between them is a change of apiVersion, not a delete plus a create.
 */
const GROUP_ALIASES: Record<string, string> = {
  'extensions/Deployment': 'apps',
  'extensions/DaemonSet': 'apps',
  'extensions/ReplicaSet': 'apps',
  'extensions/Ingress': 'networking.k8s.io',
  'extensions/NetworkPolicy': 'networking.k8s.io',
  'extensions/PodSecurityPolicy': 'policy',
  'events.k8s.io/Event': '',
};

export function canonicalGroup(group: string, kind: string): string {
  return GROUP_ALIASES[`${group}/${kind}`] ?? group;
}
