import { defineRule } from '../../../core/rule.js';
import { appliedItself, argumentValue, callArguments, instancesOf, noInstanceAmong } from '../count.js';
import { addressDiff } from '../diff.js';
import { at, type ModuleSpace, type TfContext, type TfResource, type TfUnit } from '../model.js';
import { exclusiveReplacedBy } from '../exclusive-attachment.js';
import { applyOnly, describeKube, kubeObjectOf, kubeRemoval, patchedBy } from '../kube-objects.js';
import { holdersOf } from '../references.js';
import { redactSource } from '../source.js';
import { expr } from '../space.js';
import { dataBearing, type DataBearingType, type SoftDelete } from '../data/data-bearing-types.js';
import { isEphemeral } from '../data/ephemeral-types.js';
import { identityless, isCluster, livesInCluster, rewired } from '../data/identityless-types.js';
import { moduleHolds, transientContents } from '../data/module-contents.js';

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
  window?: string;
  commands?: string;
  after?: string;
  referrers?: string;
  cluster?: string;
  types?: string;
  names?: string;
  kube?: string;
  patch?: string;
  by?: string;
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
  | 'destroyedExclusiveReplaced'
  | 'destroyedSoftDelete'
  | 'destroyedRewired'
  | 'destroyedWithCluster'
  | 'destroyedKubeObject'
  | 'destroyedKubeRepair'
  | 'destroyedKubeKept'
  | 'destroyedKubePatch'
  | 'destroyedCustomResource'
  | 'forgotten'
  | 'moduleRemoved'
  | 'moduleRemovedData'
  | 'moduleRemovedTransient'
  | 'stackRemoved'
  | 'stackRemovedModules'
  | 'stackRemovedStateOnly'
  | 'stackRemovedNoInstance'
  | 'moduleDirRemoved',
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
      'Removing a resource block tells Terraform to destroy the object. A revert creates a new object, not the old one: new id, and for a data-bearing type (a typed table: databases, buckets, volumes, queues, keys, DNS zones), empty. `lifecycle.prevent_destroy` does not help: it goes away with the block. A `removed` block with `destroy = false` leaves the object running and only drops it from state; the revert then needs an import block to manage it again. Resources with no identity or data of their own (policy attachments, security-group rules, autoscaling lifecycle hooks and attachments, route-table associations, launch configurations and templates, Auto Scaling group tags, EventBridge rules and targets, customer-managed IAM policies (IAM deletes a managed policy only once it is attached nowhere), IAM members and role assignments: the object is the link or document its arguments name, see data/identityless-types.ts) are recreated exactly by the apply of the revert, with nothing to re-point at them: removing one takes its effect away until the revert, fully reversible (info). Resources with no real object (null_resource, terraform_data, time_*, random_*, local_file) are only state: removing them is fully reversible. Some objects have an identity of their own that only a copy can hold: a security group is known by the id EC2 generates (and EC2 refuses to delete one still used by a network interface or named by a rule of another group in its VPC), an IAM role whose name is generated (`name_prefix`) by an ARN nobody can write without copying it, a key pair is a public key under a name (EC2 never holds the private key). When every holder is in the same configuration (the resources that refer to it, followed through locals, module inputs, `for_each` elements and module outputs) and no output of a root configuration hands it out, the apply of a plain revert creates it again and re-points every holder at it: fully reversible (info). The warning stays when a root output hands it out (another configuration can read it through terraform_remote_state, and a revert does not re-point that), and for an IAM role with a fixed name: AWS pins the unique id of a role in the trust and resource policies that name it, so a role created again under the same ARN is not the principal that policies (or EKS access entries) outside this configuration name any more. A Kubernetes object Terraform writes (the manifest of a `kubectl_manifest` or a `kubernetes_manifest`, or the kind of a typed `kubernetes_*` resource) is not a cloud object with a generated id: Kubernetes knows it by kind, namespace and name (the kubectl providers import `apiVersion//Kind//name//namespace`), so what its removal loses is what its kind keeps that the configuration does not say. A Deployment, DaemonSet, Job, ConfigMap, Service, ServiceAccount, RBAC object or any other built-in kind is deleted and created again under the same name by the apply of a revert (pods restart): fully reversible (info); so is a StatefulSet, whose claims stay (`persistentVolumeClaimRetentionPolicy.whenDeleted` defaults to Retain) and are bound again by name. A Namespace takes every object in it, a PersistentVolumeClaim its dynamically provisioned volume, a CustomResourceDefinition every custom resource of its kind, a StatefulSet with `whenDeleted: Delete` its claims: data only a backup brings back. A LoadBalancer Service releases its address, a service-account token Secret (or a Secret the configuration gives no data) loses what the cluster wrote into it, a retained PersistentVolume its binding: manual repair. A custom resource stays a warning: its controller acts on the deletion (Karpenter drains and terminates the nodes of a deleted NodePool, a cloud-resource operator deletes the cloud object). A `kubectl_manifest` with `apply_only = true` never deletes its object; the patch resources (`kubernetes_labels`, `kubernetes_annotations`, `kubernetes_env`, `kubernetes_config_map_v1_data`, `kubernetes_node_taint`) take their fields off an object they do not own, and the revert writes them back. An object written into a Kubernetes cluster (kubernetes_*, helm_release, kubectl_*) removed with the cluster that holds it (in the same module) goes with the cluster, which is reported itself. A soft-deleted type is not restored from a backup: AWS schedules a KMS key for deletion after `deletion_window_in_days` (7 to 30, default 30; the key is unusable meanwhile) and `CancelKeyDeletion` brings it back within that window, as `RestoreSecret` does a Secrets Manager secret within `recovery_window_in_days` (0 deletes it at once); the window is read from the configuration (a literal, a local, a module input or a variable default), the runbook is the cancel (or restore) and an import into state, because a plain revert creates a new, different key; after the window the data encrypted under the key is unreadable for good (reversible-with-manual-repair, error). A removed module whose source is not in this repository destroys everything in it, which rollwright cannot list: for the widely used data-bearing registry modules (terraform-aws-modules/eks, rds, rds-aurora, s3-bucket, ... in module-contents.ts) the data is known to go with it; unless the inputs of the call make it transient (an SQS queue whose message_retention_seconds is an hour or less: SQS deletes older messages by itself, so the queue holds events in flight, not stored data, and its loss is the messages not yet consumed: manual repair); for any other the finding says the module is not assessed, and holds the class at reversible-with-manual-repair until the plan is assessed, without claiming that data is destroyed. Deleting the directory of a root module (or renaming it: its state stays with the old path) leaves its objects running with nobody applying them; a directory whose resources are all state-only (null_resource, terraform_data, random_*, time_*, the keys and certificates of the tls provider, local files: logical resources that create nothing outside Terraform, as the documentation of each provider says) and that calls no module from outside the repository leaves nothing running, only its state, fully reversible (info); one that only calls modules from outside the repository leaves what they created running, unlisted; a directory that another configuration of the change calls as a local module (`source = "./modules/x"`) is not a root: Terraform creates its resources only through its callers (the resources of a module live in the state of its caller under `module.<name>.`), so its deletion is assessed there, as the resources of the calls that go or change. A deleted directory that configures no provider and no backend and declares inputs or outputs is a reusable module too, one that configurations call by source (a registry address `org/name/aws//modules/x`, or a path from another repository): Terraform applies it only through those callers, whose own changes are reported where they are, so deleting it destroys nothing by itself (info); a root configures where its state lives (a backend block, or the `cloud` block) and the providers it applies with. A resource with no instance before the change is not destroyed: its `count` (or `for_each`), or that of a module call it sits in, evaluates to zero (or an empty collection) with the inputs the configuration gives, variable defaults included (`count = var.create ? 1 : 0` under `create = false`, `for_each = { for k, v in var.x : k => v if var.create }`, a module called with `count = 0`): Terraform creates one instance per index or key, so there is none. When the count depends on a value the configuration does not give (a root variable with no default, a resource attribute), the instance may exist and the finding stays, saying that the instance count is unknown. An exclusive `aws_iam_policy_attachment` replaced by the per-entity attachments (`aws_iam_role_policy_attachment`, `_user_`, `_group_`) of the same policy to every entity of its lists is re-created by the same apply and restored by a revert (fully reversible), but its destroy detaches the policy from every entity holding it, with no order against the creates of the new attachments: the apply can leave them detached, with a state that says attached, until the next apply (a warning).',
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
      'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html (DependencyViolation while a network interface uses the group or another group of its VPC references it)',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids (a deleted and re-created role does not match the unique id stored in policies that named it)',
      'https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessEntry.html (principalArn: a re-created principal with the same ARN does not match the entry)',
      'https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html (waiting period 7-30 days, default 30; PendingDeletion keys cannot be used; CancelKeyDeletion before it ends)',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#deletion_window_in_days',
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_restore-secret.html',
      'https://registry.terraform.io/providers/hashicorp/tls/latest/docs/resources/private_key ("a logical resource, so it contributes only to the current Terraform state and does not create any external managed resources"; the same for tls_self_signed_cert, tls_locally_signed_cert, tls_cert_request)',
      'https://registry.terraform.io/providers/hashicorp/null/latest/docs/resources/resource',
      'https://developer.hashicorp.com/terraform/language/resources/terraform-data',
      'https://registry.terraform.io/providers/alekc/kubectl/latest/docs/resources/kubectl_manifest (apply_only: "It does not delete resource in any case"; imported as apiVersion//Kind//name//namespace)',
      'https://registry.terraform.io/providers/gavinbunney/kubectl/latest/docs/resources/kubectl_manifest',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy_attachment (exclusive: every user, role and group holding the policy must be declared in it; others are revoked)',
      'https://github.com/hashicorp/terraform-provider-aws (internal/service/iam/policy_attachment.go: the destroy detaches the policy from every user, role and group in its state; replacing it by per-user attachments has been reported to leave the users without the policy after the apply)',
      'https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/manifest',
      'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/ (a name is unique for its kind in its namespace)',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#delete-a-customresourcedefinition (deleting a CRD deletes every custom resource of it)',
      'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention',
      'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
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
    destroyedExclusiveReplaced: {
      text: '{{address}} {{how}}, and {{by}} added for the same policy and the same entities: an attachment is the link it names, so the same apply re-creates it and a revert restores the old exactly. But {{address}} is exclusive, and its destroy detaches the policy from every user, role and group holding it, with no order against the create of {{by}}: the apply can leave them without the policy, with a state that says attached, until the next apply attaches it again. Run the apply (and that of a revert) twice, or check the attachments after it{{guard}}',
      class: 'fully-reversible',
      severity: 'warning',
    },
    destroyedSoftDelete: {
      text: '{{address}} {{how}}: Terraform destroys it, {{holds}}, and AWS only schedules the deletion (unusable meanwhile): within {{window}} bring it back with `{{commands}}`, then import it into state (a plain revert creates a new, different one); after the window {{after}}{{guard}}',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-surface'] },
    },
    destroyedRewired: {
      text: '{{address}} {{how}}: Terraform destroys it; {{why}}, and what holds it is in this configuration ({{referrers}}), which no root output hands out: the apply of a revert creates it again and re-points them at it{{guard}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedWithCluster: {
      text: '{{address}} {{how}} with the cluster that holds it ({{cluster}}), which the same change destroys: it goes with the cluster, reported there',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedKubeObject: {
      text: '{{address}} {{how}}: Terraform deletes {{kube}} from the cluster; {{why}}, and a Kubernetes object is known by its kind, namespace and name, not by an id the cluster hands out: the apply of a revert creates it again under the same name{{guard}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedKubeRepair: {
      text: '{{address}} {{how}}: Terraform deletes {{kube}} from the cluster, {{why}}{{guard}}',
      severity: 'warning',
    },
    destroyedKubeKept: {
      text: '{{address}} {{how}}: a kubectl_manifest with apply_only = true never deletes its object, so {{kube}} stays in the cluster, no longer managed, and a revert applies it again',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedKubePatch: {
      text: '{{address}} {{how}}: Terraform takes the {{patch}} it wrote off an object it does not own, and the apply of a revert writes them again{{guard}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    destroyedCustomResource: {
      text: '{{address}} {{how}}: Terraform deletes {{kube}} from the cluster, a custom resource: its controller acts on the deletion, and what it made for the object (nodes, cloud resources, stored data) may go with it; the apply of a revert creates the object again under the same name, not what went with it{{guard}}',
      severity: 'warning',
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
    moduleRemovedTransient: {
      text: '{{address}} ({{source}}) {{how}}: everything in it is destroyed; {{why}}, and a revert creates it again',
      severity: 'warning',
    },
    stackRemoved:
      'the module directory {{dir}} is deleted with {{count}} resources: nothing applies it any more, so its objects keep running unmanaged unless a pipeline destroys them first',
    stackRemovedModules:
      'the module directory {{dir}} is deleted with {{count}} calls of modules that are not in this repository ({{names}}): nothing applies it any more, so what they created keeps running unmanaged unless a pipeline destroys it first',
    stackRemovedStateOnly: {
      text: 'the module directory {{dir}} is deleted with {{count}} resources, all of them only Terraform state ({{types}}): nothing of it runs outside Terraform, so what is left behind is its state, and a revert plans them again',
      class: 'fully-reversible',
      severity: 'info',
    },
    moduleDirRemoved: {
      text: 'the module directory {{dir}} is deleted: it configures no provider and no backend and declares inputs or outputs, so it is a module that configurations call by source, not a root; deleting it destroys nothing by itself, and a configuration that still calls it fails at init until its call changes (what a caller\'s change removes is reported there)',
      class: 'fully-reversible',
      severity: 'info',
    },
    stackRemovedNoInstance: {
      text: 'the module directory {{dir}} is deleted with {{count}} resources and module calls, none of which has an instance with the inputs it gives ({{why}}): nothing of it exists, so nothing is left running',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  async check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base) continue;
      if (!unit.head) {
        // A child module's directory: its callers' address spaces hold its resources, and say what
        // its removal does there (destroyed with the call, or moved into another module).
        if (unit.calledBy) continue;
        // A reusable module (it configures no provider and no backend, and has an interface: inputs or
        // outputs) is applied only through the configurations that call it by source: deleting its
        // directory destroys nothing by itself.
        if (reusableModule(unit.base)) {
          report('moduleDirRemoved', { dir: unit.dir || '.' }, { file: unit.base.files[0] ?? unit.dir, line: 1 });
          continue;
        }
        const managed = [...unit.base.resources.values()].filter((r) => r.mode === 'managed');
        const where = { file: unit.base.files[0] ?? unit.dir, line: 1 };
        const remote = [...unit.base.modules.values()].filter((c) => !c.local);
        // A root (it configures a provider or a backend) in which every resource and remote call has
        // no instance: it calls its module with create = false.
        const none = appliedItself(unit.base) ? noInstanceAmong(unit.base, managed, remote) : undefined;
        if (none) {
          report(
            'stackRemovedNoInstance',
            { dir: unit.dir || '.', count: managed.length + remote.length, why: none },
            where,
          );
          continue;
        }
        // Only calls of modules that are not in this repository: what they created is not listed,
        // and nothing applies it any more.
        if (!managed.length) {
          if (remote.length)
            report(
              'stackRemovedModules',
              {
                dir: unit.dir || '.',
                count: remote.length,
                names: remote
                  .slice(0, 3)
                  .map((c) => `${c.address} (${redactSource(c.source ?? 'no source')})`)
                  .join(', ')
                  .concat(remote.length > 3 ? `, and ${remote.length - 3} more` : ''),
              },
              where,
            );
          continue;
        }
        // Only state-only resources (null_resource, terraform_data, random_*, time_*, tls_* keys and
        // certificates, local files) and no module whose contents are not read: nothing runs anywhere,
        // only the state is left behind.
        if (!remote.length && managed.every((r) => isEphemeral(r.type)))
          report(
            'stackRemovedStateOnly',
            { dir: unit.dir || '.', count: managed.length, types: typeList(managed) },
            where,
          );
        else report('stackRemoved', { dir: unit.dir || '.', count: managed.length }, where);
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
        const row = dataBearing(resource.type);
        const h = row?.holds;
        const where = block ? at(block) : at(resource);
        const soft = row && softDeleteOf(unit.base, resource, row);
        const cluster = livesInCluster(resource.type) && clusterGoing(d.destroyed, resource);
        const link = !h && rewiredTo(unit, resource);
        const kube = !h && !cluster ? await kubeObjectOf(unit.base, resource) : undefined;
        const patch = !h && !cluster ? patchedBy(resource) : undefined;
        const replacedBy = block ? undefined : exclusiveReplacedBy(unit, resource);
        if (kube && !soft) {
          const removal = kubeRemoval(kube, applyOnly(unit.base, resource));
          const data = { address: resource.address, how, guard, kube: describeKube(kube) };
          const extra = { object: resource.address };
          if (removal.id === 'data') report('destroyedData', { ...data, holds: removal.holds }, where, extra);
          else if (removal.id === 'repair') report('destroyedKubeRepair', { ...data, why: removal.why }, where, extra);
          else if (removal.id === 'recreated')
            report('destroyedKubeObject', { ...data, why: removal.why }, where, extra);
          else if (removal.id === 'kept') report('destroyedKubeKept', data, where, extra);
          else report('destroyedCustomResource', data, where, extra);
          continue;
        }
        if (patch) {
          report('destroyedKubePatch', { address: resource.address, how, guard, patch }, where, {
            object: resource.address,
          });
          continue;
        }
        if (soft)
          report('destroyedSoftDelete', { address: resource.address, how, holds: h, guard, ...soft }, where, {
            object: resource.address,
          });
        else if (h)
          report('destroyedData', { address: resource.address, how, holds: h, guard }, where, {
            object: resource.address,
          });
        else if (cluster)
          report('destroyedWithCluster', { address: resource.address, how, cluster }, where, {
            object: resource.address,
          });
        else if (link && 'referrers' in link)
          report('destroyedRewired', { address: resource.address, how, guard, ...link }, where, {
            object: resource.address,
          });
        else if (replacedBy?.length)
          report(
            'destroyedExclusiveReplaced',
            { address: resource.address, how, guard, by: replacedBy.map((r) => r.address).join(', ') },
            where,
            { object: resource.address },
          );
        else if (identityless(resource.type))
          report('destroyedLink', { address: resource.address, how, why: identityless(resource.type)!, guard }, where, {
            object: resource.address,
          });
        else if (isEphemeral(resource.type))
          report('destroyedStateOnly', { address: resource.address, how, type: resource.type }, where, {
            object: resource.address,
          });
        else
          report('destroyed', { address: resource.address, how, guard: guard + (link ? link.kept : '') }, where, {
            object: resource.address,
          });
      }
      for (const { resource, block } of d.forgotten)
        report('forgotten', { address: (resource as TfResource).address }, at(block), { object: resource.address });
      for (const { call, block } of d.modulesRemoved) {
        const holds = moduleHolds(call.source);
        const how = block ? 'is removed by a removed block that destroys it' : 'is removed from the configuration';
        const transient = holds ? transientContents(call.source, callArguments(unit.base, call)) : undefined;
        if (transient) {
          report(
            'moduleRemovedTransient',
            { address: call.address, source: redactSource(call.source ?? 'no source'), how, why: transient },
            block ? at(block) : at(call),
            { object: call.address },
          );
          continue;
        }
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

/**
 * A directory that is a module others call, not a root: no `provider` block and no backend (a root
 * applied by itself configures where its state lives and how its providers connect), and an interface:
 * a variable or an output (the module's inputs and what it returns to its callers).
 */
function reusableModule(space: ModuleSpace): boolean {
  if (appliedItself(space)) return false;
  return [...space.values.keys()].some((k) => k.startsWith('var.') || k.startsWith('output.'));
}

/** `null_resource ×61, random_id` : the types of resources, most frequent first, with their counts. */
function typeList(resources: TfResource[]): string {
  const n = new Map<string, number>();
  for (const r of resources) n.set(r.type, (n.get(r.type) ?? 0) + 1);
  return [...n]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([t, c]) => (c > 1 ? `${t} ×${c}` : t))
    .join(', ');
}

/**
 * How a soft-deleted type (a KMS key, a Secrets Manager secret) comes back, with the window its
 * configuration sets (`deletion_window_in_days` evaluated with the inputs the configuration gives);
 * undefined when it is deleted at once, or may be (a window the configuration does not give that can be 0).
 */
function softDeleteOf(space: ModuleSpace, r: TfResource, row: DataBearingType): SoftDelete | undefined {
  if (!row.softDelete) return undefined;
  const attr = row.window?.attribute;
  const raw = attr ? r.args[attr] : undefined;
  const v = raw === undefined ? undefined : argumentValue(space, r.modulePrefix, raw, r);
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (raw !== undefined && typeof n !== 'number') {
    if (row.window?.zero) return undefined;
    const s = row.softDelete(() => undefined);
    return s && { ...s, window: `the waiting period ${attr} = ${expr(raw)} sets` };
  }
  // Other arguments (a secret's name) as the configuration gives them; attributes only a plan knows
  // (a key's id) stay placeholders.
  return row.softDelete((name) =>
    name === attr ? n : r.args[name] === undefined ? undefined : argumentValue(space, r.modulePrefix, r.args[name], r),
  );
}

/** The cluster destroyed by the same change in the module the object is declared in. */
function clusterGoing(destroyed: ReadonlyArray<{ resource: TfResource }>, r: TfResource): string | undefined {
  return destroyed.find((d) => d.resource.modulePrefix === r.modulePrefix && isCluster(d.resource.type))?.resource
    .address;
}

/**
 * For a type whose identity only a copy can hold (data/identityless-types.ts `rewired`): the holders
 * in the configuration when nothing outside can hold it, or why something can (`kept`, for the message).
 */
function rewiredTo(unit: TfUnit, r: TfResource): { why: string; referrers: string } | { kept: string } | undefined {
  const row = rewired(r.type);
  const space = unit.base;
  if (!row || !space) return undefined;
  if (row.fixedName) {
    const raw = r.args[row.fixedName];
    const name = raw === undefined ? null : argumentValue(space, r.modulePrefix, raw, r);
    if (name !== null) return { kept: `; ${row.fixedNameLoss}` };
  }
  const holders = holdersOf(space, r);
  // A directory that other configurations of the change call is a module: its outputs go to its
  // callers' configurations, which the same apply re-wires.
  if (holders.published && !unit.calledBy?.length)
    return {
      kept: `; ${holders.published} hands its identity out of this configuration, and what reads it there is not re-pointed by a revert`,
    };
  const list = holders.referrers;
  const referrers = list.length
    ? list.slice(0, 3).join(', ') + (list.length > 3 ? `, and ${list.length - 3} more` : '')
    : 'nothing refers to it';
  return { why: row.why, referrers };
}
