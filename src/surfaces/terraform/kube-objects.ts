/**
 * The Kubernetes objects Terraform writes into a cluster, read from the configuration: the manifest a
 * `kubectl_manifest` (gavinbunney/kubectl, alekc/kubectl: `yaml_body`) or a `kubernetes_manifest`
 * (hashicorp/kubernetes: `manifest`) holds, or the kind a typed `kubernetes_*` resource writes.
 *
 * A Kubernetes object is known by its kind, namespace and name, not by an id a cloud API hands out:
 * the kubectl provider imports `apiVersion//Kind//name//namespace`, the kubernetes provider
 * `namespace/name`. What destroying one loses is what its kind keeps that a manifest does not say.
 */
import { isBuiltinGroup } from '../../kube/kinds.js';
import { argumentValue } from './count.js';
import type { ModuleSpace, TfResource } from './model.js';
import { patchOf, typedKind } from './data/kube-resource-kinds.js';

/** An object a resource writes: its kind, and what the configuration says of its name and body. */
export interface TfKubeObject {
  group: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** The manifest (kubectl_manifest, kubernetes_manifest), or the typed resource's arguments. */
  body?: Record<string, unknown>;
  typed: boolean;
}

/** How destroying the object ends, by what its kind keeps. */
export type KubeRemoval =
  | { id: 'kept' }
  | { id: 'data'; holds: string }
  | { id: 'repair'; why: string }
  | { id: 'recreated'; why: string }
  | { id: 'custom' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A nested value: typed resources nest blocks as one-element arrays (`spec[0].type`), manifests as maps. */
function dig(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return Array.isArray(cur) && cur.length === 1 && isRecord(cur[0]) ? cur[0] : cur;
}

const literal = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' && !v.includes('${') ? v : undefined;

/** A `yaml_body` parsed, when it is one YAML mapping (else undefined: a template directive in it). */
async function yamlBody(yaml: string): Promise<Record<string, unknown> | undefined> {
  const { parseSingleYaml } = await import('../../core/yaml.js');
  const doc = parseSingleYaml(yaml).value;
  return isRecord(doc) ? doc : undefined;
}

/** The object a resource writes into a cluster, or undefined when it writes none or its kind is not written. */
export async function kubeObjectOf(space: ModuleSpace, r: TfResource): Promise<TfKubeObject | undefined> {
  if (r.type === 'kubectl_manifest') {
    const yaml = r.args.yaml_body;
    if (typeof yaml !== 'string' || /^\s*\$\{[^]*\}\s*$/.test(yaml)) return undefined;
    const body = (await yamlBody(yaml)) ?? topLevel(yaml);
    const ns = r.args.override_namespace;
    return fromManifest(body, typeof ns === 'string' ? ns : undefined);
  }
  if (r.type === 'kubernetes_manifest') return isRecord(r.args.manifest) ? fromManifest(r.args.manifest) : undefined;
  const typed = typedKind(r.type);
  if (!typed) return undefined;
  const meta = (k: string) => {
    const raw = dig(r.args, ['metadata', k]);
    const v = raw === undefined ? undefined : argumentValue(space, r.modulePrefix, raw, r);
    return typeof v === 'string' && v ? v : undefined;
  };
  return { ...typed, name: meta('name'), namespace: meta('namespace'), body: r.args, typed: true };
}

/**
 * The object a planned change's prior values (`change.before` of a plan) hold: the kubectl providers
 * record `api_version`, `kind`, `name` and `namespace` next to `yaml_body`, the kubernetes provider
 * the `manifest` object or the typed arguments. `applyOnly`: alekc's `apply_only = true`.
 */
export async function kubeObjectOfValues(
  type: string,
  v: Record<string, unknown>,
): Promise<{ object: TfKubeObject; applyOnly: boolean } | undefined> {
  if (type === 'kubectl_manifest') {
    const body = (typeof v.yaml_body === 'string' ? await yamlBody(v.yaml_body) : undefined) ?? {
      apiVersion: v.api_version,
      kind: v.kind,
      metadata: { name: v.name },
    };
    const ns = literal(v.override_namespace) ?? literal(v.namespace);
    const object = fromManifest(body, ns);
    return object && { object, applyOnly: v.apply_only === true };
  }
  if (type === 'kubernetes_manifest') {
    const object = isRecord(v.manifest) ? fromManifest(v.manifest) : undefined;
    return object && { object, applyOnly: false };
  }
  const typed = typedKind(type);
  if (!typed) return undefined;
  const meta = (k: string) => literal(dig(v, ['metadata', k]));
  return {
    object: { ...typed, name: meta('name'), namespace: meta('namespace'), body: v, typed: true },
    applyOnly: false,
  };
}

/**
 * The identity of the object a `kubectl_manifest` or `kubernetes_manifest` block writes, read without
 * parsing YAML: the group and kind, and the name and namespace when the manifest states them as
 * literals. Undefined when the manifest is built by an expression. Two blocks whose identities differ
 * write two different objects (the kubectl provider imports `apiVersion//Kind//name//namespace`).
 */
export function manifestIdentity(r: TfResource): Omit<TfKubeObject, 'body' | 'typed'> | undefined {
  let body: Record<string, unknown> | undefined;
  let ns: string | undefined;
  if (r.type === 'kubectl_manifest') {
    const yaml = r.args.yaml_body;
    if (typeof yaml !== 'string' || /^\s*\$\{[^]*\}\s*$/.test(yaml)) return undefined;
    body = {
      ...topLevel(yaml),
      metadata: { name: metadataField(yaml, 'name'), namespace: metadataField(yaml, 'namespace') },
    };
    ns = literal(r.args.override_namespace);
  } else if (r.type === 'kubernetes_manifest' && isRecord(r.args.manifest)) body = r.args.manifest;
  const o = body && fromManifest(body, ns);
  return o && { group: o.group, kind: o.kind, name: o.name, namespace: o.namespace };
}

/** A direct child of the top-level block `metadata:` in a manifest's text, when it is a plain scalar. */
function metadataField(text: string, key: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^metadata:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  let indent: string | undefined;
  for (const line of lines.slice(start + 1)) {
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const lead = /^(\s*)/.exec(line)![1]!;
    if (!lead) return undefined;
    indent ??= lead;
    if (lead !== indent) continue;
    const m = new RegExp(`^\\s*${key}:[ \\t]*["']?([^"'\\s#]+)["']?[ \\t]*(#.*)?$`).exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** apiVersion, kind and metadata of a manifest whose body does not parse as YAML (a template directive in it). */
function topLevel(text: string): Record<string, unknown> {
  const top = (k: string) => new RegExp(`^${k}:[ \\t]*["']?([^"'\\s#]+)`, 'm').exec(text)?.[1];
  return { apiVersion: top('apiVersion'), kind: top('kind') };
}

function fromManifest(body: Record<string, unknown>, namespace?: string): TfKubeObject | undefined {
  const apiVersion = literal(body.apiVersion);
  const kind = literal(body.kind);
  if (!apiVersion || !kind) return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const meta = isRecord(body.metadata) ? body.metadata : {};
  return {
    group,
    kind,
    name: literal(meta.name),
    namespace: namespace ?? literal(meta.namespace),
    body,
    typed: false,
  };
}

/** `Deployment default/inflate`, `a Deployment` when the configuration does not say its name. */
export function describeKube(o: TfKubeObject): string {
  return o.name ? `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` : `a ${o.kind}`;
}

/**
 * What destroying the object loses, by its kind (the same reading the Kubernetes surface gives a
 * manifest that leaves Git): a Namespace takes everything in it, a claim its dynamically provisioned
 * volume, a CRD every custom resource of its kind; a LoadBalancer Service its cloud address; a
 * Secret the cluster fills (a service-account token, or one the configuration gives no data) its
 * content. Every other built-in kind holds nothing the manifest does not say: the apply of a revert
 * creates it again under the same name. A custom resource is acted on by its controller, which may
 * delete what it made for it.
 */
export function kubeRemoval(o: TfKubeObject, applyOnly: boolean): KubeRemoval {
  if (applyOnly) return { id: 'kept' };
  const key = `${o.group}/${o.kind}`;
  const field = (manifest: string[], typed: string[]) => dig(o.body, o.typed ? typed : manifest);
  switch (key) {
    case '/Namespace':
      return {
        id: 'data',
        holds: 'a Namespace: Kubernetes deletes every object in it, claims and their volumes included',
      };
    case '/PersistentVolumeClaim':
      return {
        id: 'data',
        holds: 'a PersistentVolumeClaim: a dynamically provisioned volume is deleted with it (reclaim policy Delete)',
      };
    case '/PersistentVolume': {
      const policy = field(['spec', 'persistentVolumeReclaimPolicy'], ['spec', 'persistent_volume_reclaim_policy']);
      if (policy === 'Delete')
        return { id: 'data', holds: 'a PersistentVolume with reclaim policy Delete: its storage goes with it' };
      return {
        id: 'repair',
        why: 'a PersistentVolume whose storage is kept (reclaim policy Retain, the default of a volume written by hand) but whose binding is gone: the re-created volume binds again only once its claimRef is cleared by hand',
      };
    }
    case 'apiextensions.k8s.io/CustomResourceDefinition':
      return {
        id: 'data',
        holds: 'a CustomResourceDefinition: the API server deletes every custom resource of its kind with it',
      };
    case 'apps/StatefulSet': {
      const policy = field(
        ['spec', 'persistentVolumeClaimRetentionPolicy', 'whenDeleted'],
        ['spec', 'persistent_volume_claim_retention_policy', 'when_deleted'],
      );
      if (policy === 'Delete')
        return {
          id: 'data',
          holds:
            'a StatefulSet with persistentVolumeClaimRetentionPolicy.whenDeleted: Delete: its claims, and their volumes, are deleted with it',
        };
      return {
        id: 'recreated',
        why: 'a StatefulSet keeps its claims when it is deleted (whenDeleted defaults to Retain), and the one a revert creates binds them again by name',
      };
    }
    case '/Service':
      if (field(['spec', 'type'], ['spec', 'type']) === 'LoadBalancer')
        return {
          id: 'repair',
          why: 'a LoadBalancer Service: its cloud load balancer and external address are released, and the Service a revert creates gets a new one',
        };
      break;
    case '/Secret': {
      const type = field(['type'], ['type']);
      if (type === 'kubernetes.io/service-account-token')
        return {
          id: 'repair',
          why: 'a service-account token Secret: the token controller writes a new token into the one a revert creates, and whoever holds the old token is refused',
        };
      const data = ['data', 'stringData', 'binary_data'].some((k) => o.body?.[k] !== undefined);
      if (!data)
        return {
          id: 'repair',
          why: 'a Secret the configuration gives no data: its content is written in the cluster, and the Secret a revert creates is empty',
        };
      break;
    }
  }
  if (!isBuiltinGroup(o.group)) return { id: 'custom' };
  const pods = /^(Deployment|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|Pod)$/.test(o.kind)
    ? ' (its pods are created anew)'
    : '';
  return { id: 'recreated', why: `a ${o.kind} holds nothing its configuration does not say${pods}` };
}

/** `kubernetes_labels`, `kubernetes_config_map_v1_data`, ...: what it patches, for a resource that patches. */
export function patchedBy(r: TfResource): string | undefined {
  return patchOf(r.type);
}

/** `apply_only = true` (alekc/kubectl): the provider never deletes the object. */
export function applyOnly(space: ModuleSpace, r: TfResource): boolean {
  if (r.type !== 'kubectl_manifest' || r.args.apply_only === undefined) return false;
  const v = argumentValue(space, r.modulePrefix, r.args.apply_only, r);
  return v === true || v === 'true';
}
