/**
 * Builders of plan JSON in the shape `terraform show -json` writes (format 1.2), for the plan rules'
 * case tables. Imported by tests only.
 */
export interface ChangeSpec {
  address: string;
  actions: string[];
  type?: string;
  name?: string;
  mode?: 'managed' | 'data';
  previous_address?: string;
  action_reason?: string;
  replace_paths?: Array<Array<string | number>>;
  importing?: { id?: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  before_sensitive?: unknown;
  deposed?: string;
}

/** `module.a.aws_x.y["k"]` -> type, name and module address. */
function parts(address: string): { module?: string; type: string; name: string; mode: 'managed' | 'data' } {
  const clean = address.replace(/\[[^\]]*\]/g, '');
  const segs = clean.split('.');
  const mod: string[] = [];
  let i = 0;
  while (segs[i] === 'module') {
    mod.push(`module.${segs[i + 1]}`);
    i += 2;
  }
  const data = segs[i] === 'data';
  if (data) i++;
  return {
    ...(mod.length ? { module: mod.join('.') } : {}),
    type: segs[i] ?? '',
    name: segs[i + 1] ?? '',
    mode: data ? 'data' : 'managed',
  };
}

export function rc(address: string, actions: string[], extra: Partial<ChangeSpec> = {}): Record<string, unknown> {
  const p = parts(address);
  const provider = `registry.terraform.io/hashicorp/${(extra.type ?? p.type).split('_')[0]}`;
  const before =
    extra.before !== undefined ? extra.before : actions.includes('create') && actions.length === 1 ? null : {};
  const after =
    extra.after !== undefined ? extra.after : actions.includes('delete') && actions.length === 1 ? null : {};
  return {
    address,
    ...(extra.previous_address ? { previous_address: extra.previous_address } : {}),
    ...(p.module ? { module_address: p.module } : {}),
    mode: extra.mode ?? p.mode,
    type: extra.type ?? p.type,
    name: extra.name ?? p.name,
    provider_name: provider,
    ...(extra.deposed ? { deposed: extra.deposed } : {}),
    change: {
      actions,
      before,
      after,
      after_unknown: {},
      before_sensitive: extra.before_sensitive ?? (before ? {} : false),
      after_sensitive: after ? {} : false,
      ...(extra.replace_paths ? { replace_paths: extra.replace_paths } : {}),
      ...(extra.importing ? { importing: extra.importing } : {}),
    },
    ...(extra.action_reason ? { action_reason: extra.action_reason } : {}),
  };
}

export interface PlanSpec {
  resource_changes?: Array<Record<string, unknown>>;
  resource_drift?: Array<Record<string, unknown>>;
  output_changes?: Record<string, unknown>;
  configuration?: Record<string, unknown>;
  prior_state?: Record<string, unknown>;
  deferred_changes?: unknown[];
  errored?: boolean;
  complete?: boolean;
  format_version?: string;
}

export function planJson(spec: PlanSpec): string {
  return JSON.stringify({
    format_version: spec.format_version ?? '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: {} },
    ...(spec.resource_drift ? { resource_drift: spec.resource_drift } : {}),
    resource_changes: spec.resource_changes ?? [],
    ...(spec.deferred_changes ? { deferred_changes: spec.deferred_changes } : {}),
    ...(spec.output_changes ? { output_changes: spec.output_changes } : {}),
    ...(spec.prior_state ? { prior_state: spec.prior_state } : {}),
    configuration: spec.configuration ?? { root_module: {} },
    timestamp: '2026-03-02T09:00:00Z',
    applyable: true,
    complete: spec.complete ?? true,
    errored: spec.errored ?? false,
  });
}

/** `{ 'plan.tfplan.json': planJson(spec) }`: the file a case table puts in the change set. */
export function planFile(spec: PlanSpec): Record<string, string> {
  return { 'plan.tfplan.json': planJson(spec) };
}

/** A configuration resource whose expressions reference `refs`. */
export function configResource(address: string, refs: string[]): Record<string, unknown> {
  const p = parts(address);
  return {
    address,
    mode: p.mode,
    type: p.type,
    name: p.name,
    provider_config_key: p.type.split('_')[0],
    expressions: refs.length ? { input: { references: refs } } : {},
    schema_version: 0,
  };
}
