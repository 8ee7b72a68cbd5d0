/**
 * Widely used custom resource kinds: the CRDs of the operators most clusters run, by API group, with
 * the project's API reference as the source. A kind listed here is a known kind: adding or updating
 * one is an ordinary declarative change that its revert undoes, so `kubernetes/unknown-kind` does not
 * hold the class for it. `holdsState` names the kinds whose deletion makes their controller delete the
 * data it manages (a database cluster's volumes, a storage volume): deleting one is data destroyed.
 *
 * Kinds that a rollwright surface models (Argo CD, Flux, Argo Rollouts, External Secrets, Sealed
 * Secrets, Kyverno, Gatekeeper, CRDs...) are known through that surface's `kinds` as well.
 */
export interface KnownGroup {
  group: string;
  project: string;
  /** The kinds of the group; `*` for a group whose every kind is known (generated per resource). */
  kinds: readonly string[];
  /** Kinds whose controller deletes data when the object is deleted, and what it deletes. */
  holdsState?: Readonly<Record<string, string>>;
  source: string;
}

export const KNOWN_GROUPS: readonly KnownGroup[] = [
  {
    group: 'cert-manager.io',
    project: 'cert-manager',
    kinds: ['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'],
    source: 'https://cert-manager.io/docs/reference/api-docs/',
  },
  {
    group: 'acme.cert-manager.io',
    project: 'cert-manager',
    kinds: ['Order', 'Challenge'],
    source: 'https://cert-manager.io/docs/reference/api-docs/',
  },
  {
    group: 'trust.cert-manager.io',
    project: 'cert-manager trust-manager',
    kinds: ['Bundle', 'ClusterBundle'],
    source: 'https://cert-manager.io/docs/trust/trust-manager/api-reference/',
  },
  {
    group: 'gateway.networking.k8s.io',
    project: 'Gateway API',
    kinds: [
      'GatewayClass',
      'Gateway',
      'HTTPRoute',
      'GRPCRoute',
      'TLSRoute',
      'TCPRoute',
      'UDPRoute',
      'ReferenceGrant',
      'BackendTLSPolicy',
      'ListenerSet',
      'XListenerSet',
      'XBackendTrafficPolicy',
    ],
    source: 'https://gateway-api.sigs.k8s.io/reference/spec/',
  },
  {
    group: 'monitoring.coreos.com',
    project: 'Prometheus Operator',
    kinds: [
      'Prometheus',
      'PrometheusAgent',
      'Alertmanager',
      'ThanosRuler',
      'ServiceMonitor',
      'PodMonitor',
      'Probe',
      'PrometheusRule',
      'AlertmanagerConfig',
      'ScrapeConfig',
    ],
    source: 'https://prometheus-operator.dev/docs/api-reference/api/',
  },
  {
    group: 'external-secrets.io',
    project: 'External Secrets Operator',
    kinds: [
      'ExternalSecret',
      'ClusterExternalSecret',
      'SecretStore',
      'ClusterSecretStore',
      'PushSecret',
      'ClusterPushSecret',
    ],
    source: 'https://external-secrets.io/latest/api/spec/',
  },
  {
    group: 'generators.external-secrets.io',
    project: 'External Secrets Operator',
    kinds: ['*'],
    source: 'https://external-secrets.io/latest/api/generator/',
  },
  {
    group: 'kyverno.io',
    project: 'Kyverno',
    kinds: ['ClusterPolicy', 'Policy', 'PolicyException', 'CleanupPolicy', 'ClusterCleanupPolicy', 'UpdateRequest'],
    source: 'https://kyverno.io/docs/crds/',
  },
  {
    group: 'policies.kyverno.io',
    project: 'Kyverno',
    kinds: ['*'],
    source: 'https://kyverno.io/docs/crds/',
  },
  {
    group: 'wgpolicyk8s.io',
    project: 'Kubernetes Policy WG reports',
    kinds: ['PolicyReport', 'ClusterPolicyReport'],
    source: 'https://github.com/kubernetes-sigs/wg-policy-prototypes/tree/master/policy-report',
  },
  {
    group: 'argoproj.io',
    project: 'Argo CD, Argo Rollouts, Argo Workflows, Argo Events',
    kinds: [
      'Application',
      'ApplicationSet',
      'AppProject',
      'Rollout',
      'AnalysisTemplate',
      'ClusterAnalysisTemplate',
      'AnalysisRun',
      'Experiment',
      'Workflow',
      'WorkflowTemplate',
      'ClusterWorkflowTemplate',
      'CronWorkflow',
      'WorkflowEventBinding',
      'WorkflowTaskSet',
      'WorkflowTaskResult',
      'WorkflowArtifactGCTask',
      'EventSource',
      'Sensor',
      'EventBus',
    ],
    source:
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/, https://argo-workflows.readthedocs.io/en/latest/fields/, https://argoproj.github.io/argo-rollouts/features/specification/',
  },
  {
    group: 'source.toolkit.fluxcd.io',
    project: 'Flux',
    kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'ExternalArtifact'],
    source: 'https://fluxcd.io/flux/components/source/api/v1/',
  },
  {
    group: 'kustomize.toolkit.fluxcd.io',
    project: 'Flux',
    kinds: ['Kustomization'],
    source: 'https://fluxcd.io/flux/components/kustomize/api/v1/',
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    project: 'Flux',
    kinds: ['HelmRelease'],
    source: 'https://fluxcd.io/flux/components/helm/api/v2/',
  },
  {
    group: 'notification.toolkit.fluxcd.io',
    project: 'Flux',
    kinds: ['Provider', 'Alert', 'Receiver'],
    source: 'https://fluxcd.io/flux/components/notification/api/v1beta3/',
  },
  {
    group: 'image.toolkit.fluxcd.io',
    project: 'Flux',
    kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
    source: 'https://fluxcd.io/flux/components/image/imagerepositories/',
  },
  {
    group: 'fluxcd.controlplane.io',
    project: 'Flux Operator',
    kinds: ['FluxInstance', 'FluxReport', 'ResourceSet', 'ResourceSetInputProvider'],
    source: 'https://fluxcd.control-plane.io/operator/',
  },
  {
    group: 'pkg.crossplane.io',
    project: 'Crossplane',
    kinds: [
      'Provider',
      'ProviderRevision',
      'Configuration',
      'ConfigurationRevision',
      'Function',
      'FunctionRevision',
      'DeploymentRuntimeConfig',
      'ControllerConfig',
      'Lock',
      'ImageConfig',
    ],
    source: 'https://docs.crossplane.io/latest/api/',
  },
  {
    group: 'apiextensions.crossplane.io',
    project: 'Crossplane',
    kinds: [
      'CompositeResourceDefinition',
      'Composition',
      'CompositionRevision',
      'EnvironmentConfig',
      'ManagedResourceDefinition',
      'ManagedResourceActivationPolicy',
    ],
    source: 'https://docs.crossplane.io/latest/api/',
  },
  {
    group: 'protection.crossplane.io',
    project: 'Crossplane',
    kinds: ['Usage', 'ClusterUsage'],
    source: 'https://docs.crossplane.io/latest/api/',
  },
  {
    group: 'velero.io',
    project: 'Velero',
    kinds: [
      'Backup',
      'Restore',
      'Schedule',
      'BackupStorageLocation',
      'VolumeSnapshotLocation',
      'BackupRepository',
      'PodVolumeBackup',
      'PodVolumeRestore',
      'DownloadRequest',
      'ServerStatusRequest',
      'DataUpload',
      'DataDownload',
    ],
    source: 'https://velero.io/docs/main/api-types/',
  },
  {
    group: 'volsync.backube',
    project: 'VolSync',
    kinds: ['ReplicationSource', 'ReplicationDestination'],
    source: 'https://volsync.readthedocs.io/en/stable/usage/',
  },
  {
    group: 'postgresql.cnpg.io',
    project: 'CloudNativePG',
    kinds: [
      'Cluster',
      'Backup',
      'ScheduledBackup',
      'Pooler',
      'Database',
      'Publication',
      'Subscription',
      'ImageCatalog',
      'ClusterImageCatalog',
      'FailoverQuorum',
    ],
    holdsState: {
      Cluster:
        'the PersistentVolumeClaims of its instances are owned by the Cluster and garbage-collected with it, and the database with them',
    },
    source:
      "https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/ (the instances' PVCs are owned by the Cluster: https://github.com/cloudnative-pg/cloudnative-pg/discussions/4278)",
  },
  {
    group: 'snapshot.storage.k8s.io',
    project: 'CSI external-snapshotter',
    kinds: [
      'VolumeSnapshot',
      'VolumeSnapshotClass',
      'VolumeSnapshotContent',
      'VolumeGroupSnapshot',
      'VolumeGroupSnapshotClass',
      'VolumeGroupSnapshotContent',
    ],
    source: 'https://kubernetes.io/docs/concepts/storage/volume-snapshots/',
  },
  {
    group: 'networking.istio.io',
    project: 'Istio',
    kinds: [
      'VirtualService',
      'DestinationRule',
      'Gateway',
      'ServiceEntry',
      'Sidecar',
      'EnvoyFilter',
      'WorkloadEntry',
      'WorkloadGroup',
      'ProxyConfig',
    ],
    source: 'https://istio.io/latest/docs/reference/config/networking/',
  },
  {
    group: 'security.istio.io',
    project: 'Istio',
    kinds: ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'],
    source: 'https://istio.io/latest/docs/reference/config/security/',
  },
  {
    group: 'telemetry.istio.io',
    project: 'Istio',
    kinds: ['Telemetry'],
    source: 'https://istio.io/latest/docs/reference/config/telemetry/',
  },
  {
    group: 'extensions.istio.io',
    project: 'Istio',
    kinds: ['WasmPlugin'],
    source: 'https://istio.io/latest/docs/reference/config/proxy_extensions/wasm-plugin/',
  },
  {
    group: 'install.istio.io',
    project: 'Istio',
    kinds: ['IstioOperator'],
    source: 'https://istio.io/latest/docs/reference/config/istio.operator.v1alpha1/',
  },
  ...['traefik.io', 'traefik.containo.us'].map((group) => ({
    group,
    project: 'Traefik',
    kinds: [
      'IngressRoute',
      'IngressRouteTCP',
      'IngressRouteUDP',
      'Middleware',
      'MiddlewareTCP',
      'TLSOption',
      'TLSStore',
      'TraefikService',
      'ServersTransport',
      'ServersTransportTCP',
    ],
    source: 'https://doc.traefik.io/traefik/reference/dynamic-configuration/kubernetes-crd/',
  })),
  {
    group: 'keda.sh',
    project: 'KEDA',
    kinds: ['ScaledObject', 'ScaledJob', 'TriggerAuthentication', 'ClusterTriggerAuthentication'],
    source: 'https://keda.sh/docs/latest/reference/scaledobject-spec/',
  },
  {
    group: 'eventing.keda.sh',
    project: 'KEDA',
    kinds: ['CloudEventSource', 'ClusterCloudEventSource'],
    source: 'https://keda.sh/docs/latest/operate/cloud-events/',
  },
  {
    group: 'bitnami.com',
    project: 'Sealed Secrets',
    kinds: ['SealedSecret'],
    source: 'https://github.com/bitnami-labs/sealed-secrets#sealedsecrets-as-templates-for-secrets',
  },
  {
    group: 'templates.gatekeeper.sh',
    project: 'OPA Gatekeeper',
    kinds: ['ConstraintTemplate'],
    source: 'https://open-policy-agent.github.io/gatekeeper/website/docs/howto/',
  },
  ...[
    'constraints.gatekeeper.sh',
    'mutations.gatekeeper.sh',
    'expansion.gatekeeper.sh',
    'config.gatekeeper.sh',
    'externaldata.gatekeeper.sh',
    'syncset.gatekeeper.sh',
  ].map((group) => ({
    group,
    project: 'OPA Gatekeeper',
    kinds: ['*'],
    source: 'https://open-policy-agent.github.io/gatekeeper/website/docs/',
  })),
  {
    group: 'metallb.io',
    project: 'MetalLB',
    kinds: [
      'IPAddressPool',
      'L2Advertisement',
      'BGPAdvertisement',
      'BGPPeer',
      'BFDProfile',
      'Community',
      'ServiceL2Status',
      'ServiceBGPStatus',
    ],
    source: 'https://metallb.universe.tf/apis/',
  },
  {
    group: 'cilium.io',
    project: 'Cilium',
    kinds: ['*'],
    source: 'https://docs.cilium.io/en/stable/network/kubernetes/crds/',
  },
  {
    group: 'externaldns.k8s.io',
    project: 'ExternalDNS',
    kinds: ['DNSEndpoint'],
    source: 'https://kubernetes-sigs.github.io/external-dns/latest/docs/sources/crd/',
  },
  {
    group: 'autoscaling.k8s.io',
    project: 'Kubernetes Vertical Pod Autoscaler',
    kinds: ['VerticalPodAutoscaler', 'VerticalPodAutoscalerCheckpoint'],
    source: 'https://github.com/kubernetes/autoscaler/blob/master/vertical-pod-autoscaler/docs/api.md',
  },
  {
    group: 'tekton.dev',
    project: 'Tekton',
    kinds: ['Task', 'Pipeline', 'TaskRun', 'PipelineRun', 'StepAction', 'CustomRun'],
    source: 'https://tekton.dev/docs/pipelines/pipeline-api/',
  },
  {
    group: 'grafana.integreatly.org',
    project: 'Grafana Operator',
    kinds: ['*'],
    source: 'https://grafana.github.io/grafana-operator/docs/api/',
  },
  {
    group: 'ceph.rook.io',
    project: 'Rook',
    kinds: ['*'],
    source: 'https://rook.io/docs/rook/latest/CRDs/specification/',
  },
  {
    group: 'longhorn.io',
    project: 'Longhorn',
    kinds: ['*'],
    holdsState: { Volume: 'Longhorn deletes the volume and its replicas, and the data with them' },
    source: 'https://longhorn.io/docs/latest/references/settings/',
  },
];

const BY_GROUP = new Map(KNOWN_GROUPS.map((g) => [g.group, g]));

/** The catalogue's entry for a kind, if the kind is a widely used one. */
export function knownKind(group: string, kind: string): KnownGroup | undefined {
  const g = BY_GROUP.get(group);
  return g && (g.kinds.includes('*') || g.kinds.includes(kind)) ? g : undefined;
}
