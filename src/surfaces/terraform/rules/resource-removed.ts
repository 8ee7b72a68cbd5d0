import { defineRule } from '../../../core/rule.js';
import { instancesOf } from '../count.js';
import { addressDiff } from '../diff.js';
import { at, type TfContext, type TfResource } from '../model.js';
import { redactSource } from '../source.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { isEphemeral } from '../data/ephemeral-types.js';
import { identityless } from '../data/identityless-types.js';
import { moduleHolds } from '../data/module-contents.js';

/** A finding's data: the removed resource or module call (`address`), or the removed stack (`dir`). */
export type ResourceRemovedData = {
  address?: string;
  how?: string;
  holds?: string;
  type?: string;
  guard?: string;
  why?: string;
  source?: string;
  dir?: string;
  count?: number;
};

/**
 * A resource leaves the configuration with nothing to take its place: Terraform destroys it, unless a
 * `removed` block with `lifecycle { destroy = false }` forgets it.
 */
export default defineRule<
  TfContext,
  | 'destroyed'
  | 'destroyedData'
  | 'destroyedStateOnly'
  | 'destroyedLink'
  | 'forgotten'
  | 'moduleRemoved'
  | 'moduleRemovedData'
  | 'stackRemoved',
  ResourceRemovedData
>({
  id: 'resource-removed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A resource or module is removed from the configuration: destroyed, unless a removed block with destroy = false forgets it.',
    rationale:
      'Removing a resource block tells Terraform to destroy the object. A revert creates a new object, not the old one: new id, and for a data-bearing type (a typed table: databases, buckets, volumes, queues, keys, DNS zones), empty. `lifecycle.prevent_destroy` does not help: it goes away with the block. A `removed` block with `destroy = false` leaves the object running and only drops it from state; the revert then needs an import block to manage it again. Resources with no identity or data of their own (policy attachments, security-group rules, autoscaling lifecycle hooks and attachments, route-table associations, launch configurations and templates, Auto Scaling group tags, EventBridge rules and targets, customer-managed IAM policies (IAM deletes a managed policy only once it is attached nowhere), IAM members and role assignments: the object is the link or document its arguments name, see data/identityless-types.ts) are recreated exactly by the apply of the revert, with nothing to re-point at them: removing one takes its effect away until the revert, fully reversible (info). Resources with no real object (null_resource, terraform_data, time_*, random_*, local_file) are only state: removing them is fully reversible. A removed module whose source is not in this repository destroys everything in it, which rollwright cannot list: for the widely used data-bearing registry modules (terraform-aws-modules/eks, rds, rds-aurora, s3-bucket, ... in module-contents.ts) the data is known to go with it; for any other the finding says the module is not assessed, and holds the class at reversible-with-manual-repair until the plan is assessed, without claiming that data is destroyed. Deleting the directory of a root module leaves its objects running with nobody applying them; a directory that another configuration of the change calls as a local module (`source = "./modules/x"`) is not a root: Terraform creates its resources only through its callers (the resources of a module live in the state of its caller under `module.<name>.`), so its deletion is assessed there, as the resources of the calls that go or change. A resource with no instance before the change is not destroyed: its `count` (or `for_each`), or that of a module call it sits in, evaluates to zero (or an empty collection) with the inputs the configuration gives, variable defaults included (`count = var.create ? 1 : 0` under `create = false`, `for_each = { for k, v in var.x : k => v if var.create }`, a module called with `count = 0`): Terraform creates one instance per index or key, so there is none. When the count depends on a value the configuration does not give (a root variable with no default, a resource attribute), the instance may exist and the finding stays, saying that the instance count is unknown.',
    fix: 'To stop managing an object without destroying it: `removed { from = ADDRESS  lifecycle { destroy = false } }`. To destroy a data-bearing one: take and verify a backup first, and declare it.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html (a managed policy must be detached from every user, group and role before it can be deleted)',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html (a rule must have no targets before it can be deleted)',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group_tag (imported by group name and tag key)',
      'https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources',
      'https://developer.hashicorp.com/terraform/language/meta-arguments/count (count = 0 creates no instance; module blocks accept count too)',
      'https://developer.hashicorp.com/terraform/language/block/removed',
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
      'https://opentofu.org/docs/language/resources/syntax/#removing-resources',
      'https://github.com/hashicorp/terraform-provider-aws (internal/service/iam/role_policy_attachment.go: role and policy_arn are the only arguments, both ForceNew; import id role/policy_arn)',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule (no unique id of its own; imported by its tuple)',
    ],
  },
  messages: {
    destroyed:
      '{{address}} {{how}}: Terraform destroys it, and a revert creates a new object (new id, references to update){{guard}}',
    destroyedData: {
      text: '{{address}} {{how}}: Terraform destroys it, {{holds}}, and only a backup brings the data back. To stop managing it without destroying it: removed { from = {{address}}  lifecycle { destroy = false } }{{guard}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    destroyedStateOnly: {
      text: '{{address}} {{how}}: a {{type}} has no real object outside Terraform state (and the machine that runs it), so nothing is lost; a revert creates it again (a new id, random value or timestamp)',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedLink: {
      text: '{{address}} {{how}}: Terraform destroys it, and its effect goes with it; {{why}}, with no data and no identity anything else keeps, so a revert creates one exactly like it{{guard}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    forgotten: {
      text: '{{address}} is forgotten (removed block with destroy = false): the object keeps running outside Terraform, and a revert plans a second one unless an import block adopts it again',
      severity: 'warning',
    },
    moduleRemoved: {
      text: '{{address}} ({{source}}) {{how}}: the next apply deletes everything in it, and what that is was not assessed (the module is not in this repository); assess the plan before merging (rollwright assess --plan PLAN.json)',
      severity: 'warning',
      decision: { playbook: 'bad-iac-module', effects: ['unassessed'] },
      unassessed: {
        reason: 'the removed module is not in this repository, so what its removal deletes is not known',
        remedy: 'assess the plan of the change (rollwright assess --plan PLAN.json)',
      },
    },
    moduleRemovedData: {
      text: '{{address}} ({{source}}) {{how}}: everything in it is destroyed, {{holds}}, and only a backup brings the data back',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    stackRemoved:
      'the module directory {{dir}} is deleted with {{count}} resources: nothing applies it any more, so its objects keep running unmanaged unless a pipeline destroys them first',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base) continue;
      if (!unit.head) {
        // A child module's directory: its callers' address spaces hold its resources, and say what
        // its removal does there (destroyed with the call, or moved into another module).
        if (unit.calledBy) continue;
        const count = [...unit.base.resources.values()].filter((r) => r.mode === 'managed').length;
        if (count)
          report('stackRemoved', { dir: unit.dir || '.', count }, { file: unit.base.files[0] ?? unit.dir, line: 1 });
        continue;
      }
      const d = addressDiff(unit);
      for (const { resource, block } of d.destroyed) {
        const how = block ? 'is removed by a removed block that destroys it' : 'is removed from the configuration';
        const count = instancesOf(unit.base, resource);
        const guard =
          (resource.preventDestroy ? '; its prevent_destroy went with its block and does not stop this' : '') +
          (count.state === 'unknown'
            ? `; its instance count is unknown (${count.expression} depends on a value the configuration does not give): if it has no instance, nothing is destroyed`
            : '');
        const h = dataBearing(resource.type)?.holds;
        const where = block ? at(block) : at(resource);
        if (h)
          report('destroyedData', { address: resource.address, how, holds: h, guard }, where, {
            object: resource.address,
          });
        else if (identityless(resource.type))
          report('destroyedLink', { address: resource.address, how, why: identityless(resource.type)!, guard }, where, {
            object: resource.address,
          });
        else if (isEphemeral(resource.type))
          report('destroyedStateOnly', { address: resource.address, how, type: resource.type }, where, {
            object: resource.address,
          });
        else report('destroyed', { address: resource.address, how, guard }, where, { object: resource.address });
      }
      for (const { resource, block } of d.forgotten)
        report('forgotten', { address: (resource as TfResource).address }, at(block), { object: resource.address });
      for (const { call, block } of d.modulesRemoved) {
        const holds = moduleHolds(call.source);
        report(
          holds ? 'moduleRemovedData' : 'moduleRemoved',
          {
            address: call.address,
            source: redactSource(call.source ?? 'no source'),
            how: block ? 'is removed by a removed block that destroys it' : 'is removed from the configuration',
            ...(holds ? { holds } : {}),
          },
          block ? at(block) : at(call),
          { object: call.address },
        );
      }
    }
  },
});
