import { defineRule } from '../../../core/rule.js';
import { addressDiff } from '../diff.js';
import { at, movedBlock, type TfContext, type TfResource } from '../model.js';
import { redactSource } from '../source.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { identityless } from '../data/identityless-types.js';
import { reproducedFromConfiguration } from '../data/ephemeral-types.js';
import { moduleHolds, transientContents } from '../data/module-contents.js';
import { callArguments } from '../count.js';

type M =
  | 'renamed'
  | 'renamedData'
  | 'ambiguous'
  | 'ambiguousData'
  | 'moduleRenamed'
  | 'moduleRenamedData'
  | 'moduleRenamedUnknown'
  | 'moduleRenamedTransient'
  | 'repetitionChanged'
  | 'repetitionChangedData'
  | 'recreatedLink'
  | 'movedRemoved';

const holds = (r: TfResource) => dataBearing(r.type)?.holds;
/** Why a type's object is the same when created again (a link, or a local file), or nothing. */
const recreatedAlike = (type: string) => identityless(type) ?? reproducedFromConfiguration(type);

/**
 * A finding's data: the old and new addresses (`from`, `to`; `address` for a repetition change), the
 * moved block that would keep the objects (`moved`), and what the destroyed objects hold.
 */
export type MovedBlockMissingData = {
  from: string;
  to?: string;
  address?: string;
  moved?: string;
  type?: string;
  holds?: string;
  count?: number;
  candidates?: string;
  source?: string;
  dataBearing?: string;
  what?: string;
  why?: string;
};

/**
 * An address leaves the configuration and one of the same type arrives, with no `moved` block: before
 * any plan exists, the pull request already says Terraform will destroy one object and create another.
 */
export default defineRule<TfContext, M, MovedBlockMissingData>({
  id: 'moved-block-missing',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A resource or module is renamed or moved (same type removed and added, count/for_each re-keyed) without a moved block: Terraform destroys and re-creates it.',
    rationale:
      'Terraform tracks objects by address. A new address with no `moved` block is a new object: the plan destroys the old one and creates an empty one, which for a database, bucket or volume loses the data, and for anything else gives it a new identity that others may reference. Terraform moves `a` to `a[0]` by itself when count is turned on, but not for for_each. The finding names both addresses and gives the moved block to add. Removing a moved block that a workspace has not applied yet brings the destroy back. A resource with no identity or data of its own (a policy attachment, a security-group rule, an autoscaling lifecycle hook or attachment, a route-table association, a launch configuration or template, an Auto Scaling group tag, an EventBridge rule or target, a customer-managed IAM policy, an IAM member: the object is the link or document its arguments name, see data/identityless-types.ts) is recreated exactly by the same apply, and nothing has to be re-pointed at the new one; so is a file of the local provider (`local_file`, `local_sensitive_file`: written from its configuration on the machine that runs Terraform, and written again whenever it is missing): its replacement is fully reversible (info), and the moved block only saves the short gap between the destroy and the create. A removed and an added block are not paired when they name their objects differently by an argument the provider cannot change in place (data/name-arguments.ts: the `name` of an instance profile, role or IAM policy, or the start of the name its `name_prefix` generates; any other argument set to two different literals likewise; data-bearing types stay paired): a moved block would still plan a replacement, so they are two objects, and the removal is reported by resource-removed. Nor are two `kubectl_manifest` or `kubernetes_manifest` blocks whose manifests write different Kubernetes objects (another group or kind, or another name or namespace where both state it: Kubernetes knows an object by them, and the kubectl provider imports `apiVersion//Kind//name//namespace`): a moved block would make the provider turn one object into another; the removed object is reported by resource-removed, by what its kind keeps. A module call renamed whose source is not in this repository (a registry or git module) has every resource in it destroyed and created again: for the widely used data-bearing registry modules (terraform-aws-modules/rds, s3-bucket, eks, sqs, ... in data/module-contents.ts) the data goes with it (non-recoverable), unless the inputs of the call make it transient (an SQS queue whose message_retention_seconds is an hour or less holds events in flight, not stored data: SQS deletes older messages itself, so the re-creation loses the messages not yet consumed and those sent until the new queue, under the same name and ARN, exists: manual repair); any other (an IAM role or policy module, a security group module, an unknown module) is not assessed and held at reversible-with-manual-repair until the plan is read, as resource-removed holds a removed one: its objects are created again from the same inputs under the same names, and what refers to them is updated by the same apply, but rollwright does not see what is in it.',
    fix: 'Add the moved block given in the message next to the new resource, and keep it until every workspace has applied it.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://developer.hashicorp.com/terraform/language/moved',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/instance_profile.go (name and name_prefix are ForceNew; name_prefix adds a unique suffix)',
      'https://opentofu.org/docs/language/modules/develop/refactoring/',
      'https://github.com/hashicorp/terraform-provider-aws (internal/service/iam/role_policy_attachment.go: role and policy_arn are the only arguments, both ForceNew; import id role/policy_arn)',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group_rule (no unique id of its own; imported by its tuple)',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/launch_configuration (immutable: every change creates a new one, create_before_destroy recommended)',
      'https://registry.terraform.io/providers/hashicorp/local/latest/docs/resources/file (a missing file is re-created from the configuration)',
      'https://registry.terraform.io/providers/gavinbunney/kubectl/latest/docs/resources/kubectl_manifest (import id apiVersion//Kind//name//namespace)',
    ],
  },
  messages: {
    renamed:
      '{{from}} is removed and {{to}} added with no moved block: Terraform destroys {{from}} and creates {{to}}. If they are the same object, add: {{moved}}',
    renamedData: {
      text: '{{from}} is removed and {{to}} added with no moved block: Terraform destroys {{from}}, {{holds}}, and creates an empty {{to}}. If they are the same object, add: {{moved}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    ambiguous:
      '{{from}} is removed and {{count}} {{type}} resources are added ({{candidates}}) with no moved block: if one of them is the same object, add moved { from = {{from}}  to = <its address> }',
    ambiguousData: {
      text: '{{from}} ({{holds}}) is removed and {{count}} {{type}} resources are added ({{candidates}}) with no moved block: without one Terraform destroys it; if one of them is the same object, add moved { from = {{from}}  to = <its address> }',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    moduleRenamed:
      '{{from}} is removed and {{to}} added with the same source and no moved block: every resource in it ({{count}}) is destroyed and created again. Add: {{moved}}',
    moduleRenamedData: {
      text: '{{from}} is removed and {{to}} added with the same source and no moved block: every resource in it is destroyed and created again, data-bearing ones included ({{dataBearing}}). Add: {{moved}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    moduleRenamedUnknown: {
      text: '{{from}} is removed and {{to}} added with the same source ({{source}}) and no moved block: Terraform deletes every resource in it and creates it again at the new address, and what that is was not assessed (the module is not in this repository); assess the plan before merging (rollwright assess --plan PLAN.json). Add: {{moved}}',
      severity: 'warning',
      decision: { playbook: 'bad-iac-module', effects: ['unassessed'] },
      unassessed: {
        reason: 'the renamed module is not in this repository, so what its re-creation deletes is not known',
        remedy: 'add the moved block, or assess the plan of the change (rollwright assess --plan PLAN.json)',
      },
    },
    moduleRenamedTransient: {
      text: '{{from}} is removed and {{to}} added with the same source ({{source}}) and no moved block: every resource in it is destroyed and created again; {{why}}. Add: {{moved}}',
      severity: 'warning',
    },
    repetitionChanged:
      '{{address}} changes from {{from}} to {{to}} with no moved block: its instances get new addresses, so Terraform destroys and re-creates them. Add, per instance: {{moved}}',
    repetitionChangedData: {
      text: '{{address}} ({{holds}}) changes from {{from}} to {{to}} with no moved block: its instances get new addresses, so Terraform destroys them and creates empty ones. Add, per instance: {{moved}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    recreatedLink: {
      text: '{{what}} with no moved block: Terraform destroys the old and creates the new; {{why}}, with no data and no identity anything else keeps, so the new object has the same effect and a revert recreates the old exactly. A moved block avoids the short gap between the destroy and the create: {{moved}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    movedRemoved: {
      text: 'the moved block {{from}} -> {{to}} is removed: a workspace that has not applied it yet will destroy {{from}} and create {{to}}',
      severity: 'warning',
    },
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.head) continue;
      const d = addressDiff(unit);
      for (const { from, to } of d.renames) {
        const h = holds(from);
        const data = {
          from: from.address,
          to: to.address,
          moved: movedBlock(from.address, to.address),
          type: from.type,
        };
        const why = recreatedAlike(from.type);
        if (h) report('renamedData', { ...data, holds: h }, at(to), { object: to.address });
        else if (why)
          report(
            'recreatedLink',
            { ...data, what: `${from.address} is removed and ${to.address} added`, why },
            at(to),
            {
              object: to.address,
            },
          );
        else report('renamed', data, at(to), { object: to.address });
      }
      for (const { from, candidates } of d.ambiguous) {
        const h = holds(from);
        const data = {
          from: from.address,
          type: from.type,
          count: candidates.length,
          candidates: candidates.map((c) => c.address).join(', '),
        };
        const why = recreatedAlike(from.type);
        if (h) report('ambiguousData', { ...data, holds: h }, at(candidates[0]!), { object: from.address });
        else if (why)
          report(
            'recreatedLink',
            {
              ...data,
              what: `${from.address} is removed and ${candidates.length} ${from.type} resources are added (${data.candidates})`,
              why,
              moved: `moved { from = ${from.address}  to = <its address> }`,
            },
            at(candidates[0]!),
            { object: from.address },
          );
        else report('ambiguous', data, at(candidates[0]!), { object: from.address });
      }
      for (const { from, to, contents } of d.moduleRenames) {
        const moved = movedBlock(from.address, to.address);
        const data = { from: from.address, to: to.address, moved, count: contents.length };
        const dataBearingInside = contents.filter((r) => holds(r));
        const known = from.dir === undefined ? moduleHolds(to.source) : undefined;
        const transient = known && unit.base ? transientContents(from.source, callArguments(unit.base, from)) : undefined;
        if (transient)
          report('moduleRenamedTransient', { ...data, source: redactSource(to.source ?? ''), why: transient }, at(to), {
            object: to.address,
          });
        else if (known)
          report(
            'moduleRenamedData',
            { ...data, dataBearing: `${redactSource(to.source ?? '')}: ${known}` },
            at(to),
            { object: to.address },
          );
        else if (from.dir === undefined)
          report('moduleRenamedUnknown', { ...data, source: redactSource(to.source ?? '') }, at(to), {
            object: to.address,
          });
        else if (dataBearingInside.length)
          report(
            'moduleRenamedData',
            { ...data, dataBearing: dataBearingInside.map((r) => r.address).join(', ') },
            at(to),
            { object: to.address },
          );
        else report('moduleRenamed', data, at(to), { object: to.address });
      }
      for (const { before, after } of d.repetition) {
        const key = (r: TfResource) =>
          r.repetition === 'for_each' ? '["<key>"]' : r.repetition === 'count' ? '[<index>]' : '';
        const data = {
          address: after.address,
          from: before.repetition ?? 'a single instance',
          to: after.repetition ?? 'a single instance',
          moved: movedBlock(`${before.address}${key(before)}`, `${after.address}${key(after)}`),
        };
        const h = holds(after);
        const why = recreatedAlike(after.type);
        if (h) report('repetitionChangedData', { ...data, holds: h }, at(after), { object: after.address });
        else if (why)
          report(
            'recreatedLink',
            {
              ...data,
              what: `${after.address} changes from ${data.from} to ${data.to}: its instances get new addresses`,
              why,
            },
            at(after),
            { object: after.address },
          );
        else report('repetitionChanged', data, at(after), { object: after.address });
      }
      for (const m of d.movedRemoved)
        report('movedRemoved', { from: m.from, to: m.to }, { file: m.file, line: m.line });
    }
  },
});
