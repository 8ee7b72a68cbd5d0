import type { ModuleSpace, TfResource, TfUnit, TfValue } from './model.js';
import { forceNewChanges, replacedResources } from './replaced.js';
import { expr } from './space.js';
import { termOf } from './value.js';

/**
 * The provider configuration a resource uses: the one its `provider` argument names (`helm.eu`), else
 * the default configuration of its type's provider (`helm` for `helm_release`), in its own module or,
 * when that has none, inherited from the modules that call it (Terraform passes default configurations
 * down implicitly, unless a call's `providers` argument says otherwise).
 */
export function providerConfig(space: ModuleSpace, r: TfResource): { config: TfValue; prefix: string } | undefined {
  const name = expr(r.args.provider) ?? r.type.split('_')[0]!;
  for (let prefix = r.modulePrefix; ;) {
    const config = space.values.get(`${prefix}provider.${name}`);
    if (config) return { config, prefix };
    if (prefix === '') return undefined;
    const call = space.modules.get(prefix.slice(0, -1));
    if (!call || call.args.providers !== undefined || name.includes('.')) return undefined;
    prefix = prefix.slice(0, -1).replace(/module\.[^.]+$/, '');
  }
}

/**
 * The managed resources a value reads, directly or through the outputs of local modules (read into
 * the space), as addresses: `module.eks.cluster_endpoint` -> `module.eks.aws_eks_cluster.this`.
 */
function resourcesRead(space: ModuleSpace, prefix: string, value: unknown, where: TfValue, depth = 0): Set<string> {
  const t = termOf(space, prefix, value, where);
  const out = new Set(t.refs.map((r) => r.address));
  if (depth < 6)
    for (const s of t.sources ?? []) {
      const output = s.kind === 'module' ? space.values.get(`${s.instance}.output.${s.name}`) : undefined;
      if (!output || space.modules.get(s.instance)?.dir === undefined) continue;
      for (const a of resourcesRead(space, `${s.instance}.`, output.value, output, depth + 1)) out.add(a);
    }
  return out;
}

/** The `host` of a Kubernetes-facing provider configuration: top level (kubernetes, kubectl) or in helm's `kubernetes` block. */
function hostOf(config: Record<string, unknown>): unknown {
  const k = config.kubernetes;
  const block: unknown = Array.isArray(k) ? k[0] : k;
  const nested = typeof block === 'object' && block !== null ? (block as Record<string, unknown>).host : undefined;
  return nested ?? config.host;
}

/**
 * The resource a Kubernetes-facing resource (a `helm_release`, a `kubernetes_*` or `kubectl_*` object)
 * is applied to when the same change replaces it: the cluster its provider's `host` reads, with the
 * argument that replaces it. Undefined when the host is not read from a resource of the configuration
 * or that resource stays.
 */
export function replacedTarget(unit: TfUnit, r: TfResource): { address: string; attribute: string } | undefined {
  const head = unit.head;
  if (!head) return undefined;
  const found = providerConfig(head, r);
  const config = found?.config;
  const host = config && typeof config.value === 'object' ? hostOf(config.value as Record<string, unknown>) : undefined;
  if (!found || !config || host === undefined) return undefined;
  const replaced = replacedResources(unit);
  for (const address of resourcesRead(head, found.prefix, host, config)) {
    if (!replaced.has(address)) continue;
    const change = forceNewChanges(unit).find((c) => c.after.address === address && c.kind !== 'uncertain');
    if (change) return { address, attribute: change.attribute };
  }
  return undefined;
}
