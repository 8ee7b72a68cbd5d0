import { defineRule } from '../../../core/rule.js';
import { argumentValue, noInstanceAmong } from '../count.js';
import type { ModuleSpace, TfContext, TfProviderConfig } from '../model.js';

/**
 * Providers whose configured region places every resource that does not name its own, and whose
 * resources' state does not say which region they were created in: the AWS provider configures its
 * clients once per provider instance from `region` (hashicorp/terraform-provider-aws#15052: the region
 * is not stored in each resource's state), so after a change it reads, plans and creates every
 * resource of the configuration in the new region. The google provider is not here: a regional
 * resource records its region in state, so a new default region plans its replacement (a destroy
 * `force-new-changed` would name), not an orphan; azurerm has no provider-level location.
 */
const REGIONAL: ReadonlyMap<string, { argument: string; sources: RegExp }> = new Map([
  ['aws', { argument: 'region', sources: /^((registry\.terraform\.io|registry\.opentofu\.org)\/)?hashicorp\/aws$/i }],
]);

type M = 'moved';

/** A `provider "aws"` block whose `region` evaluates to another region at head than at base. */
export default defineRule<TfContext, M>({
  id: 'provider-region-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      "An AWS provider's region changes in a root configuration that manages resources: Terraform looks for them in the new region and creates a second set there, leaving the old objects running unmanaged.",
    rationale:
      "The AWS provider sends every call of a resource to the region of its provider configuration, and state does not record the region a resource was created in. When `region` changes, the next refresh looks for each object of the root in the new region, finds nothing and drops it from state (or fails on an ARN of the old region), and the apply creates a second set in the new region; the objects in the old region keep running with nothing managing them (orphaned, not destroyed). They must be imported or destroyed by hand, and a revert does the same in the other direction. The region is compared by value: a literal, a local, or a variable's default, so a region that only moves into a local or another variable with the same value is not a change; one the configuration does not give (a root variable with no default, an environment variable, a remote state output) is not compared. A resource that sets its own `region` (AWS provider 6.0 and later) is not moved by the provider's region. Only root configurations that manage resources or call modules, with an instance, are reported (a root that calls its module with `create = false` has nothing in any region): a root being created has no state, and a directory called as a module by another is not a root.",
    fix: 'Keep the region and add a second provider configuration (an alias) for the new region, or destroy the resources before the region moves (or import the old objects into a configuration that keeps the old region).',
    references: [
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs#region',
      'https://github.com/hashicorp/terraform-provider-aws/issues/15052 (the region configures the provider instance once per run; it is not stored in the state of each resource)',
      'https://github.com/hashicorp/terraform-provider-aws/issues/6731 (a changed provider region loses the resources of the previous region from state)',
      'https://github.com/hashicorp/terraform-provider-aws/issues/32810 (resources created in the new region, the old ones not destroyed)',
      'https://github.com/hashicorp/terraform-provider-aws/pull/31517 (Terraform core: the provider refreshes in the wrong region, gets not found, and the old objects are forgotten)',
      'https://hashicorp.github.io/terraform-provider-aws/enhanced-region-support (6.0: a resource-level region overrides the provider region)',
    ],
  },
  messages: {
    moved:
      'provider {{provider}} of the root configuration {{root}} moves from region {{from}} to {{to}}: Terraform now looks in {{to}} for every resource of this root that does not set its own region, finds none, and creates a second set there; the objects in {{from}} keep running unmanaged (orphaned, not destroyed) until they are imported or destroyed by hand, and a revert does the same the other way',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head || unit.calledBy?.length) continue;
      if (!managesSomething(unit.base)) continue;
      for (const after of unit.head.providerConfigs ?? []) {
        const name = after.address.split('.')[0]!;
        const regional = REGIONAL.get(name);
        if (!regional) continue;
        const source = unit.head.providers.get(name)?.source;
        if (source !== undefined && !regional.sources.test(source)) continue;
        const before = unit.base.providerConfigs?.find((p) => p.address === after.address);
        if (!before) continue;
        const from = regionOf(unit.base, before, regional.argument);
        const to = regionOf(unit.head, after, regional.argument);
        if (from === undefined || to === undefined || from === to) continue;
        report(
          'moved',
          { provider: after.address, root: unit.dir || '.', from, to },
          { file: after.file, line: after.lines.get(regional.argument) ?? after.line },
          { object: `provider.${after.address}` },
        );
      }
    }
  },
});

/**
 * Whether a root has anything a region holds: a managed resource, or a call of a module whose code is
 * not read (what it creates), with an instance (a root calling its module with `create = false` has none).
 */
function managesSomething(space: ModuleSpace): boolean {
  const managed = [...space.resources.values()].filter((r) => r.mode === 'managed');
  // Calls whose code is not read (remote, or a local path outside what was read) may create anything.
  const remote = [...space.modules.values()].filter((c) => !c.local || c.dir === undefined);
  return (managed.length > 0 || remote.length > 0) && noInstanceAmong(space, managed, remote) === undefined;
}

/** The provider's region with the inputs the configuration gives, or undefined when it does not give one. */
function regionOf(space: ModuleSpace, p: TfProviderConfig, argument: string): string | undefined {
  const raw = p.args[argument];
  if (raw === undefined) return undefined;
  const v = argumentValue(space, '', raw, p);
  return typeof v === 'string' && v !== '' ? v : undefined;
}
