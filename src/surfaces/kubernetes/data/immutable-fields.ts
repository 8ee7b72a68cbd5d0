/**
 * Data for `immutable-field-changed`: the fields the API server refuses to update, per kind, each row
 * citing the Kubernetes function that enforces it. The rule walks these rows.
 *
 * Paths are written relative to `path` with dots; `*` matches any list index. A row either names the
 * immutable fields (`only`), or makes everything under `path` immutable except some fields (`except`),
 * or, with neither, makes `path` itself immutable.
 */
import {
  compareQuantities,
  deepEqual,
  get,
  isAbsent,
  isObject,
  parseQuantity,
  type Json,
  type JsonObject,
} from '../../../kube/model.js';

export interface FieldOptions {
  /** What the API server defaults an absent field to: an absent side compares as this value. */
  default?: Json;
  /**
   * The API server fills the field when a manifest leaves it out (an allocated cluster IP, the volume
   * a claim was bound to, the default StorageClass). Writing it where it was left out is a pin, rejected
   * unless it equals what the server chose. `kept`: leaving it out again keeps the server's value, no
   * change. `cleared`: leaving it out again clears it, which is a change.
   */
  assigned?: 'kept' | 'cleared';
  /** May be set once: from absent to a value is allowed, any later change is not. */
  settableOnce?: boolean;
  /** A list compared as a set (order does not matter). */
  unordered?: boolean;
  /** An empty string means "not set" (a plain Go string field, like clusterIP). */
  emptyIsAbsent?: boolean;
}

export interface ExceptEntry {
  /** Dotted path relative to the row's `path`; `*` matches any list index. */
  path: string;
  /** The first Kubernetes minor whose API server accepts changes to it (earlier ones reject them). */
  sinceMinor?: number;
  /** Only mutable when this holds for the two objects (whole bodies). */
  when?: (before: JsonObject, after: JsonObject) => boolean;
  /** Why, for the README and the reader. */
  note?: string;
}

export interface ImmutableFieldRow {
  /** `group/Kind` keys (core group empty). */
  kinds: readonly string[];
  /** Where the row applies, from the object root. */
  path: ReadonlyArray<string | number>;
  /** Immutable fields under `path` (dotted); without it, `path` itself (minus `except`) is immutable. */
  only?: readonly string[];
  except?: readonly ExceptEntry[];
  /** Options for `path` itself (rows without `only`). */
  field?: FieldOptions;
  /** Options per dotted path relative to `path`. */
  fields?: Readonly<Record<string, FieldOptions>>;
  /** The row applies only when this holds for the two objects (whole bodies). */
  when?: (before: JsonObject, after: JsonObject) => boolean;
  /** Skip when an earlier row already reported this dotted field of the same object. */
  unlessReported?: string;
  /** The Kubernetes function (and file) that rejects the update. */
  source: string;
  /** The usual way to get the change in, for the message. */
  repair: string;
}

const RECREATE =
  'Delete and re-create the object (kubectl replace --force, or Argo CD `Replace=true`/Flux `force: true`).';

const serviceType = (o: JsonObject): string => {
  const t = get(o, ['spec', 'type']);
  return typeof t === 'string' ? t : 'ClusterIP';
};
const notExternalName = (b: JsonObject, a: JsonObject): boolean =>
  serviceType(b) !== 'ExternalName' && serviceType(a) !== 'ExternalName';
const headless = (o: JsonObject): boolean => {
  const ips = get(o, ['spec', 'clusterIPs']);
  if (Array.isArray(ips) && ips.length === 1) return ips[0] === 'None';
  return get(o, ['spec', 'clusterIP']) === 'None';
};

/** The volume sources of a PersistentVolume (PersistentVolumeSource, inlined into its spec). */
const PV_SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'glusterfs',
  'hostPath',
  'iscsi',
  'local',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];

const JOB_SCHEDULING_DIRECTIVES = [
  'metadata.labels',
  'metadata.annotations',
  'spec.nodeSelector',
  'spec.tolerations',
  'spec.affinity.nodeAffinity',
  'spec.schedulingGates',
];
const suspended = (b: JsonObject): boolean => get(b, ['spec', 'suspend']) === true;

export const IMMUTABLE_FIELDS: readonly ImmutableFieldRow[] = [
  {
    kinds: ['apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet'],
    path: ['spec', 'selector'],
    // extensions/v1beta1 and apps/v1beta1 defaulted the selector from the template labels.
    field: { assigned: 'cleared' },
    source:
      'deploymentStrategy.ValidateUpdate, rsStrategy.ValidateUpdate, daemonSetStrategy.ValidateUpdate (pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go): ValidateImmutableField(spec.selector) for every group/version but extensions/v1beta1 and apps/v1beta1',
    repair: `${RECREATE} Pods of the old selector are orphaned unless deleted with it.`,
  },
  {
    kinds: ['apps/StatefulSet'],
    path: ['spec'],
    except: [
      { path: 'replicas' },
      { path: 'ordinals' },
      { path: 'template' },
      { path: 'updateStrategy' },
      { path: 'persistentVolumeClaimRetentionPolicy' },
      { path: 'minReadySeconds' },
      {
        path: 'revisionHistoryLimit',
        sinceMinor: 33,
        note: "listed as mutable in the API server's error message since kubernetes/kubernetes#130263 (2025); older servers reject it",
      },
    ],
    fields: { podManagementPolicy: { default: 'OrderedReady' } },
    source:
      "ValidateStatefulSetUpdate (pkg/apis/apps/validation/validation.go): updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    repair:
      'Usual repair: `kubectl delete statefulset NAME --cascade=orphan`, then re-apply; the pods and their claims stay and the new StatefulSet adopts them (existing claims keep their old template).',
  },
  {
    kinds: ['batch/Job'],
    path: ['spec'],
    only: ['selector', 'completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'],
    fields: { completionMode: { default: 'NonIndexed' } },
    source:
      'ValidateJobSpecUpdate (pkg/apis/batch/validation/validation.go): ValidateImmutableField for selector, completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy, successPolicy',
    repair: `${RECREATE} A finished Job is usually re-created under a new name.`,
  },
  {
    kinds: ['batch/Job'],
    path: ['spec', 'completions'],
    // Elastic Indexed Jobs: completions may change together with parallelism (completions == parallelism).
    when: (b, a) =>
      !(
        get(a, ['spec', 'completionMode']) === 'Indexed' &&
        get(a, ['spec', 'completions']) === get(a, ['spec', 'parallelism'])
      ),
    source:
      'ValidateJobSpecUpdate → validateCompletions (pkg/apis/batch/validation/validation.go): immutable except for Indexed Jobs changed in tandem with parallelism',
    repair: `${RECREATE}`,
  },
  {
    kinds: ['batch/Job'],
    path: ['spec', 'template'],
    except: JOB_SCHEDULING_DIRECTIVES.map((path) => ({
      path,
      when: suspended,
      note: 'mutable while the Job is suspended and has never started (AllowMutableSchedulingDirectives)',
    })),
    source:
      'ValidateJobSpecUpdate → validatePodTemplateUpdate (pkg/apis/batch/validation/validation.go): the pod template is immutable, except scheduling directives of a suspended Job that never started',
    repair: `${RECREATE} With Argo CD, \`Replace=true\` or a hook with a delete policy; with Flux, \`force: true\`.`,
  },
  {
    kinds: ['/Service'],
    path: ['spec', 'clusterIP'],
    field: { assigned: 'kept', emptyIsAbsent: true },
    when: notExternalName,
    source:
      'ValidateServiceUpdate (pkg/apis/core/validation/validation.go): spec.clusterIP may not change once set; patchAllocatedValues (pkg/registry/core/service/storage/storage.go) keeps the allocated address when a manifest leaves it out',
    repair: `${RECREATE} The Service gets a new address; clients that cached the old one break.`,
  },
  {
    kinds: ['/Service'],
    path: ['spec', 'clusterIPs', 0],
    field: { assigned: 'kept' },
    when: notExternalName,
    unlessReported: 'spec.clusterIP',
    source:
      'ValidateServiceUpdate → validateUpgradeDowngradeClusterIPs (pkg/apis/core/validation/validation.go): the primary clusterIPs[0] may not change once set; a secondary address may be added or released',
    repair: `${RECREATE}`,
  },
  {
    kinds: ['/Service'],
    path: ['spec', 'ipFamilies', 0],
    field: { assigned: 'kept' },
    when: (b, a) => notExternalName(b, a) && !headless(b) && !headless(a),
    source:
      'ValidateServiceUpdate → validateUpgradeDowngradeIPFamilies (pkg/apis/core/validation/validation.go): the primary ipFamilies[0] may not change once set',
    repair: `${RECREATE}`,
  },
  {
    kinds: ['/Service'],
    path: ['spec', 'loadBalancerClass'],
    when: (b, a) => serviceType(b) === 'LoadBalancer' && serviceType(a) === 'LoadBalancer',
    source:
      'ValidateServiceUpdate → validateLoadBalancerClassField (pkg/apis/core/validation/validation.go): loadBalancerClass may not change while the Service stays type LoadBalancer',
    repair: `${RECREATE} The load balancer and its address are released and a new one is provisioned.`,
  },
  {
    kinds: ['/PersistentVolumeClaim'],
    path: ['spec'],
    except: [
      { path: 'resources.requests.storage', note: 'size changes are the rule pvc-storage-changed' },
      { path: 'volumeAttributesClassName' },
    ],
    fields: {
      storageClassName: { assigned: 'cleared' },
      volumeName: { assigned: 'cleared' },
      volumeMode: { default: 'Filesystem' },
    },
    source:
      'ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation/validation.go): spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    repair:
      'A claim cannot be re-created without losing its binding: copy the data to a new claim (or restore a snapshot), point the workload at it, then delete the old claim.',
  },
  {
    kinds: ['/PersistentVolume'],
    path: ['spec'],
    only: [...PV_SOURCES, 'volumeMode', 'nodeAffinity'],
    except: [
      {
        path: 'csi.controllerExpandSecretRef',
        when: (b) => isAbsent(get(b, ['spec', 'csi', 'controllerExpandSecretRef'])),
        note: 'may be added when it was absent',
      },
    ],
    fields: { volumeMode: { default: 'Filesystem' }, nodeAffinity: { settableOnce: true } },
    source:
      'ValidatePersistentVolumeUpdate (pkg/apis/core/validation/validation.go): spec.persistentvolumesource is immutable after creation; volumeMode is immutable; nodeAffinity may only be set when absent',
    repair:
      'Re-create the PersistentVolume with persistentVolumeReclaimPolicy Retain so the backing volume survives, then re-bind its claim (clear spec.claimRef.uid).',
  },
  {
    kinds: ['storage.k8s.io/StorageClass'],
    path: [],
    only: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'],
    fields: { reclaimPolicy: { default: 'Delete' }, volumeBindingMode: { default: 'Immediate' } },
    source:
      'ValidateStorageClassUpdate (pkg/apis/storage/validation/validation.go): updates to parameters, provisioner and reclaimPolicy are forbidden; volumeBindingMode is immutable',
    repair:
      'Delete and re-create the StorageClass; volumes already provisioned keep their old parameters (only new claims see the new ones).',
  },
  {
    kinds: ['scheduling.k8s.io/PriorityClass'],
    path: [],
    only: ['value', 'preemptionPolicy'],
    fields: { preemptionPolicy: { default: 'PreemptLowerPriority' } },
    source:
      'ValidatePriorityClassUpdate (pkg/apis/scheduling/validation/validation.go): value and preemptionPolicy may not be changed in an update',
    repair: 'Create a PriorityClass under a new name and move the workloads to it; running pods keep the old priority.',
  },
  {
    kinds: ['networking.k8s.io/IngressClass'],
    path: ['spec', 'controller'],
    source:
      'ValidateIngressClassUpdate → validateIngressClassSpecUpdate (pkg/apis/networking/validation/validation.go)',
    repair: `${RECREATE} Ingresses of the class are unserved in between.`,
  },
  {
    kinds: ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
    path: ['roleRef'],
    source:
      'ValidateRoleBindingUpdate, ValidateClusterRoleBindingUpdate (pkg/apis/rbac/validation/validation.go): cannot change roleRef',
    repair: `${RECREATE} The subjects lose the permissions in between.`,
  },
  {
    kinds: ['/Secret'],
    path: ['type'],
    field: { default: 'Opaque' },
    source:
      'ValidateSecretUpdate (pkg/apis/core/validation/validation.go): ValidateImmutableField(type); SetDefaults_Secret defaults it to Opaque',
    repair: `${RECREATE}`,
  },
  {
    kinds: ['/ResourceQuota'],
    path: ['spec', 'scopes'],
    field: { unordered: true },
    source: 'ValidateResourceQuotaUpdate (pkg/apis/core/validation/validation.go): spec.scopes is immutable',
    repair: `${RECREATE}`,
  },
  {
    kinds: ['/Pod'],
    path: ['spec'],
    except: [
      { path: 'containers.*.image' },
      { path: 'initContainers.*.image' },
      { path: 'activeDeadlineSeconds' },
      { path: 'tolerations', note: 'additions only' },
      { path: 'terminationGracePeriodSeconds' },
      { path: 'schedulingGates', note: 'removals only' },
      { path: 'ephemeralContainers', note: 'changed through the ephemeralcontainers subresource' },
    ],
    source:
      'ValidatePodUpdate (pkg/apis/core/validation/validation.go): pod updates may not change fields other than spec.containers[*].image, spec.initContainers[*].image, spec.activeDeadlineSeconds, spec.tolerations (additions), spec.terminationGracePeriodSeconds',
    repair: 'Delete the Pod and create it again (better: let a Deployment or Job own it).',
  },
];

/** One field of one object that differs in a way the API server rejects. */
export interface FieldDiff {
  row: ImmutableFieldRow;
  path: Array<string | number>;
  /** `changed`: both sides differ; `pinned`: written where the server had filled it in. */
  type: 'changed' | 'pinned';
}

/** The rows of a kind. */
export function rowsFor(group: string, kind: string): ImmutableFieldRow[] {
  return IMMUTABLE_FIELDS.filter((r) => r.kinds.includes(`${group}/${kind}`));
}

/** The differences a row finds between the two bodies, at the Kubernetes minor given. */
export function diffRow(row: ImmutableFieldRow, before: JsonObject, after: JsonObject, minor: number): FieldDiff[] {
  if (row.when && !row.when(before, after)) return [];
  const excepts = (row.except ?? [])
    .filter((e) => (e.sinceMinor === undefined || minor >= e.sinceMinor) && (!e.when || e.when(before, after)))
    .map((e) => e.path.split('.'));
  const out: FieldDiff[] = [];
  const targets = row.only ? row.only.map((p) => p.split('.')) : [[]];
  for (const rel of targets) {
    walk(
      row,
      excepts,
      [...row.path, ...rel],
      rel,
      get(before, [...row.path, ...rel]),
      get(after, [...row.path, ...rel]),
      out,
    );
  }
  return out;
}

function matches(pattern: readonly string[], rel: ReadonlyArray<string | number>, prefixOnly: boolean): boolean {
  if (prefixOnly ? pattern.length <= rel.length : pattern.length !== rel.length) return false;
  return rel.every((k, i) => (pattern[i] === '*' ? typeof k === 'number' : pattern[i] === String(k)));
}

function walk(
  row: ImmutableFieldRow,
  excepts: string[][],
  abs: Array<string | number>,
  rel: Array<string | number>,
  b: unknown,
  a: unknown,
  out: FieldDiff[],
): void {
  if (excepts.some((e) => matches(e, rel, false))) return;
  const deeper = excepts.some((e) => matches(e, rel, true));
  if (deeper && !isAbsent(b) && !isAbsent(a)) {
    if (Array.isArray(b) && Array.isArray(a)) {
      if (b.length !== a.length) out.push({ row, path: abs, type: 'changed' });
      else b.forEach((x, i) => walk(row, excepts, [...abs, i], [...rel, i], x, a[i], out));
      return;
    }
    if (isObject(b) && isObject(a)) {
      for (const k of new Set([...Object.keys(b), ...Object.keys(a)]))
        walk(row, excepts, [...abs, k], [...rel, k], b[k], a[k], out);
      return;
    }
  }
  const opts: FieldOptions = rel.length === 0 ? (row.field ?? {}) : (row.fields?.[rel.join('.')] ?? {});
  const type = compareField(b, a, opts, rel);
  if (type) out.push({ row, path: abs, type });
}

function compareField(
  b: unknown,
  a: unknown,
  opts: FieldOptions,
  rel: ReadonlyArray<string | number>,
): FieldDiff['type'] | undefined {
  const absent = (v: unknown) => isAbsent(v) || (opts.emptyIsAbsent === true && v === '');
  const bb = absent(b) ? opts.default : b;
  const aa = absent(a) ? opts.default : a;
  if (semanticEqual(bb, aa, opts.unordered ?? false, rel)) return undefined;
  if (opts.settableOnce && isAbsent(bb)) return undefined;
  if (opts.assigned && isAbsent(bb) && !isAbsent(aa)) return 'pinned';
  if (opts.assigned === 'kept' && isAbsent(aa)) return undefined;
  return 'changed';
}

const QUANTITY_MAPS = new Set(['requests', 'limits', 'capacity']);

/**
 * Equality as the API server's apiequality.Semantic sees it for manifests: absent and null are the
 * same, quantities under `requests`/`limits`/`capacity` compare by value (1Gi == 1024Mi).
 */
export function semanticEqual(
  a: unknown,
  b: unknown,
  unordered = false,
  path: ReadonlyArray<string | number> = [],
): boolean {
  if (isAbsent(a) && isAbsent(b)) return true;
  if (unordered && Array.isArray(a) && Array.isArray(b)) {
    const key = (x: unknown) => JSON.stringify(x);
    const sa = new Set(a.map(key));
    const sb = new Set(b.map(key));
    return sa.size === sb.size && [...sa].every((x) => sb.has(x));
  }
  if (QUANTITY_MAPS.has(String(path[path.length - 2]))) {
    const qa = parseQuantity(a);
    const qb = parseQuantity(b);
    if (qa && qb) return compareQuantities(qa, qb) === 0;
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual(a[k], b[k], false, [...path, k]));
  }
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i], false, [...path, i]));
  return deepEqual(a, b);
}
