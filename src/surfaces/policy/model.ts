import type { KubeObject } from '../../kube/model.js';
import { get, isObject, type Json } from '../../kube/model.js';

export const KYVERNO_GROUP = 'kyverno.io';
export const KYVERNO_KINDS = ['ClusterPolicy', 'Policy', 'PolicyException'] as const;
export const GATEKEEPER_TEMPLATES = 'templates.gatekeeper.sh';
export const GATEKEEPER_CONSTRAINTS = 'constraints.gatekeeper.sh';
const VAP_GROUP = 'admissionregistration.k8s.io';

export function isPolicy(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return (
    (o.group === KYVERNO_GROUP && (KYVERNO_KINDS as readonly string[]).includes(o.kind)) ||
    o.group === GATEKEEPER_TEMPLATES ||
    o.group === GATEKEEPER_CONSTRAINTS ||
    (o.group === VAP_GROUP && (o.kind === 'ValidatingAdmissionPolicy' || o.kind === 'ValidatingAdmissionPolicyBinding'))
  );
}

/** One enforcement unit: a Kyverno validate rule, a Gatekeeper constraint, a VAP binding. */
export interface Enforcement {
  /** `ClusterPolicy require-labels rule check-team`, for messages and pairing. */
  key: string;
  /** True when a violation is denied; false when it is only audited or warned. */
  enforce: boolean;
  /** The action as written (Enforce, Audit, deny, dryrun, [Deny, Audit]...). */
  action: string;
  /** Kinds the unit applies to, as far as the object says (empty: unknown or all). */
  kinds: string[];
  path: Array<string | number>;
  /** What the unit checks (a Kyverno rule's `validate`, as canonical JSON): tells a renamed rule from a new one. */
  check?: string;
}

function kyvernoKinds(match: Json | undefined): string[] {
  if (!isObject(match)) return [];
  const out: string[] = [];
  const fromResources = (r: Json | undefined) => {
    const ks = isObject(r) ? r.kinds : undefined;
    if (Array.isArray(ks)) for (const k of ks) if (typeof k === 'string') out.push(k);
  };
  fromResources(match.resources);
  for (const f of ['any', 'all'])
    if (Array.isArray(match[f])) for (const m of match[f] as Json[]) if (isObject(m)) fromResources(m.resources);
  return [...new Set(out)];
}

/**
 * The enforcement units of a policy object. Kyverno: each validate rule, with its `failureAction`
 * (Kyverno 1.13+, per rule) or else the policy's deprecated `spec.validationFailureAction`, default
 * Audit. Gatekeeper constraint: `spec.enforcementAction`, default deny. VAP binding:
 * `spec.validationActions` (Deny enforces; Warn and Audit do not).
 */
export function enforcements(o: KubeObject, policies: readonly KubeObject[] = []): Enforcement[] {
  // Gatekeeper constraints are cluster-scoped whatever their kind.
  const ns = o.group === GATEKEEPER_CONSTRAINTS ? '' : o.namespace;
  const name = `${o.kind} ${ns ? `${ns}/` : ''}${o.name}`;
  if (o.group === KYVERNO_GROUP && (o.kind === 'ClusterPolicy' || o.kind === 'Policy')) {
    const top = get(o.body, ['spec', 'validationFailureAction']);
    const rules = get(o.body, ['spec', 'rules']);
    if (!Array.isArray(rules)) return [];
    return rules.flatMap((r, i): Enforcement[] => {
      if (!isObject(r)) return [];
      const rule = typeof r.name === 'string' ? r.name : `#${i}`;
      if (Array.isArray(r.verifyImages)) return verifyImagesUnits(name, rule, r, i, top as Json | undefined);
      if (!isObject(r.validate)) return [];
      const own = r.validate.failureAction;
      const action = String(typeof own === 'string' ? own : typeof top === 'string' ? top : 'Audit');
      return [
        {
          key: `${name} rule ${rule}`,
          enforce: action.toLowerCase() === 'enforce',
          action,
          kinds: kyvernoKinds(r.match),
          check: JSON.stringify(r.validate),
          path:
            typeof own === 'string'
              ? ['spec', 'rules', i, 'validate', 'failureAction']
              : typeof top === 'string'
                ? ['spec', 'validationFailureAction']
                : ['spec', 'rules', i],
        },
      ];
    });
  }
  if (o.group === GATEKEEPER_CONSTRAINTS) {
    const a = get(o.body, ['spec', 'enforcementAction']);
    const action = typeof a === 'string' ? a : 'deny';
    const kinds = get(o.body, ['spec', 'match', 'kinds']);
    const ks = Array.isArray(kinds)
      ? kinds.flatMap((k) =>
          isObject(k) && Array.isArray(k.kinds) ? k.kinds.filter((x): x is string => typeof x === 'string') : [],
        )
      : [];
    let enforce = action === 'deny';
    if (action === 'scoped') {
      const scoped = get(o.body, ['spec', 'scopedEnforcementActions']);
      enforce = Array.isArray(scoped) && scoped.some((s) => isObject(s) && s.action === 'deny');
    }
    return [
      { key: name, enforce, action, kinds: ks, path: typeof a === 'string' ? ['spec', 'enforcementAction'] : ['spec'] },
    ];
  }
  if (o.group === VAP_GROUP && o.kind === 'ValidatingAdmissionPolicyBinding') {
    const acts = get(o.body, ['spec', 'validationActions']);
    const list = Array.isArray(acts) ? acts.map(String) : [];
    const policyName = get(o.body, ['spec', 'policyName']);
    const policy = policies.find((p) => p.kind === 'ValidatingAdmissionPolicy' && p.name === policyName);
    const rr = policy ? get(policy.body, ['spec', 'matchConstraints', 'resourceRules']) : undefined;
    const kinds = Array.isArray(rr)
      ? rr.flatMap((r) =>
          isObject(r) && Array.isArray(r.resources)
            ? r.resources.filter((x): x is string => typeof x === 'string')
            : [],
        )
      : [];
    return [
      {
        key: name,
        enforce: list.includes('Deny'),
        action: `[${list.join(', ')}]`,
        kinds,
        path: ['spec', 'validationActions'],
      },
    ];
  }
  return [];
}

/**
 * A Kyverno `verifyImages` rule as one unit: it denies Pods whose matching images have no valid
 * signature or attestation when its action is Enforce. The action is the first entry's own
 * `failureAction` (Kyverno 1.13+, per `verifyImages` entry), else the policy's
 * `spec.validationFailureAction`, default Audit (the verify-images and policy-settings pages of
 * the Kyverno docs). An entry with `required: false` verifies only what is signed and denies nothing
 * unsigned, so it does not enforce.
 */
function verifyImagesUnits(
  name: string,
  rule: string,
  r: { [k: string]: Json },
  i: number,
  top: Json | undefined,
): Enforcement[] {
  const entries = (r.verifyImages as Json[]).filter(isObject);
  if (!entries.length) return [];
  const own = entries.findIndex((e) => typeof e.failureAction === 'string');
  const action = String(own >= 0 ? entries[own]!.failureAction : typeof top === 'string' ? top : 'Audit');
  const required = entries.some((e) => e.required !== false);
  return [
    {
      key: `${name} rule ${rule}`,
      enforce: action.toLowerCase() === 'enforce' && required,
      action,
      kinds: kyvernoKinds(r.match),
      check: JSON.stringify(r.verifyImages),
      path:
        own >= 0
          ? ['spec', 'rules', i, 'verifyImages', own, 'failureAction']
          : typeof top === 'string'
            ? ['spec', 'validationFailureAction']
            : ['spec', 'rules', i],
    },
  ];
}

/** `Pod, Deployment` or a fallback, for messages. */
export function kindsText(kinds: readonly string[]): string {
  return kinds.length ? kinds.join(', ') : 'every kind it matches';
}

/** An exception's expiry as written: a Kyverno cleanup TTL label, or an annotation naming an expiry. */
export function expiryOf(o: KubeObject): string | undefined {
  const ttl = get(o.body, ['metadata', 'labels', 'cleanup.kyverno.io/ttl']);
  if (typeof ttl === 'string') return `cleanup.kyverno.io/ttl: ${ttl}`;
  const ann = get(o.body, ['metadata', 'annotations']);
  if (isObject(ann))
    for (const [k, v] of Object.entries(ann))
      if (/expir|valid-until|ttl/i.test(k) && typeof v === 'string') return `${k}: ${v}`;
  return undefined;
}
