import { defineRule } from '../../../core/rule.js';
import { attributeReader, reasonText } from '../plan/describe.js';
import type { PlanContext } from '../plan/model.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { describeKube, kubeObjectOfValues, kubeRemoval } from '../kube-objects.js';

type M =
  | 'deleted'
  | 'deletedData'
  | 'replacedDeleteFirst'
  | 'replacedDataDeleteFirst'
  | 'replacedCreateFirst'
  | 'replacedDataCreateFirst'
  | 'softDeleted'
  | 'deletedKubeObject'
  | 'deletedKubeRepair'
  | 'deletedKubeKept'
  | 'deletedCustomResource';

/** A finding's data: the resource, the plan's actions and why, what depends on it, what it holds. */
export type PlanResourceDestroyedData = {
  address: string;
  type: string;
  actions: string;
  reason: string;
  blast: string;
  dependents: number;
  dependentAddresses?: string;
  holds?: string;
  recovery?: string;
  verb?: string;
  window?: string;
  commands?: string;
  after?: string;
  kube?: string;
  why?: string;
};

/**
 * A delete or a replace in the plan, classed by the order Terraform will use and by whether the type
 * holds data (the typed table in data-bearing-types.ts), with the resources of the same plan that
 * depend on it (the blast radius).
 */
export default defineRule<PlanContext, M, PlanResourceDestroyedData>({
  id: 'plan-resource-destroyed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'The plan deletes or replaces a resource: data-bearing types lose their data; others come back as new objects; create-before-destroy overlaps old and new.',
    rationale:
      'A deleted object is not restored by reverting the configuration: the revert creates a new one, with a new id, and for a database, bucket, volume, queue, key or DNS zone, empty. `["delete","create"]` removes the old object before the new one exists; `["create","delete"]` (create_before_destroy) creates the replacement first and deletes the old object in the same apply, so no overlap lasts beyond the apply: for a stateless object that is fully reversible (the revert replaces it again the same way), but a data-bearing one still loses the old data at the end, because the new object starts empty. Some providers only soft-delete: a KMS key is scheduled for deletion after its waiting period (`CancelKeyDeletion` leaves it Disabled, `EnableKey` brings it back), a Secrets Manager secret stays restorable for its recovery window (`RestoreSecret`). Inside the window the way back is that command and an import into state, never a restore from a backup that does not exist (reversible-with-manual-repair, error severity: a plain revert creates a new, different key or secret); after it, KMS-encrypted data is unreadable beyond any backup. A deleted Kubernetes object (a kubectl_manifest, a kubernetes_manifest, a typed kubernetes_* resource) is read from its prior values and classed as terraform/resource-removed classes it: by what its kind keeps, since Kubernetes knows it by kind, namespace and name and the revert creates it again under that name (a Deployment or ConfigMap: info; a Namespace, claim or CRD: data destroyed; a LoadBalancer Service, a cluster-filled Secret, a custom resource: a warning). The message names the dependents in the same plan, from the configuration references and the recorded dependencies of the prior state.',
    fix: 'For data-bearing resources: take and verify a backup or snapshot first, or avoid the replacement (a moved block for a rename, ignore_changes for a drifting attribute, lifecycle.prevent_destroy as a guard). For others: prefer create_before_destroy when names allow it, and check the dependents.',
    references: [
      'https://developer.hashicorp.com/terraform/internals/json-format#change-representation',
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy',
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
      'https://opentofu.org/docs/internals/json-format/',
      'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-cancelling-key-deletion.html',
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_restore-secret.html',
      'https://registry.terraform.io/providers/alekc/kubectl/latest/docs/resources/kubectl_manifest (api_version, kind, name and namespace recorded in state; apply_only never deletes)',
      'https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/manifest',
    ],
  },
  messages: {
    deleted:
      '{{address}} is deleted{{reason}}: re-creating it makes a new object (new id, references to update){{blast}}',
    deletedData: {
      text: '{{address}} is deleted{{reason}}: it is {{holds}}; only a backup or snapshot brings the data back{{recovery}}{{blast}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    deletedKubeObject: {
      text: '{{address}} is deleted{{reason}}: Terraform deletes {{kube}} from the cluster; {{why}}, and a Kubernetes object is known by its kind, namespace and name, not by an id the cluster hands out: the apply of a revert creates it again under the same name{{blast}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    deletedKubeRepair: '{{address}} is deleted{{reason}}: Terraform deletes {{kube}} from the cluster, {{why}}{{blast}}',
    deletedKubeKept: {
      text: '{{address}} is deleted{{reason}}: a kubectl_manifest with apply_only = true never deletes its object, so {{kube}} stays in the cluster, no longer managed, and a revert applies it again',
      class: 'fully-reversible',
      severity: 'info',
    },
    deletedCustomResource:
      '{{address}} is deleted{{reason}}: Terraform deletes {{kube}} from the cluster, a custom resource: its controller acts on the deletion, and what it made for the object (nodes, cloud resources, stored data) may go with it; the apply of a revert creates the object again under the same name, not what went with it{{blast}}',
    replacedDeleteFirst:
      '{{address}} is replaced, delete then create{{reason}}: the old object is gone before the new one exists{{blast}}',
    replacedDataDeleteFirst: {
      text: '{{address}} is replaced, delete then create{{reason}}: it is {{holds}}; the new one starts empty and only a backup or snapshot brings the data back{{recovery}}{{blast}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    replacedCreateFirst: {
      text: '{{address}} is replaced, create then delete{{reason}}: the new object exists before the old one is deleted in the same apply, and a revert replaces it the same way{{blast}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    softDeleted: {
      text: '{{address}} is {{verb}}{{reason}}: it is {{holds}}, and AWS only schedules the deletion: within {{window}} bring it back with `{{commands}}`, then import it into state (a plain revert creates a new one instead); after the window {{after}}{{blast}}',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-surface'] },
    },
    replacedDataCreateFirst: {
      text: '{{address}} is replaced, create then delete{{reason}}: it is {{holds}}; the new one starts empty and the old one is deleted at the end of the apply, so the overlap keeps the data only if it is copied meanwhile{{recovery}}{{blast}}',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
  },
  async check({ plan, at, blast, report }) {
    for (const c of plan.changes) {
      if (c.mode !== 'managed' || !c.actions.includes('delete')) continue;
      const key = c.actions.join(',');
      if (key !== 'delete' && key !== 'delete,create' && key !== 'create,delete') continue;
      const row = dataBearing(c.type);
      const b = blast(c);
      const reason = reasonText(c);
      const data = {
        address: c.address,
        type: c.type,
        actions: key,
        reason: reason ? ` ${reason}` : '',
        blast: b.text,
        dependents: b.count,
        ...(b.count
          ? {
              dependentAddresses:
                b.addresses.join(', ') +
                (b.count > b.addresses.length ? `, and ${b.count - b.addresses.length} more` : ''),
            }
          : {}),
      };
      const extra = { object: c.address };
      if (row) {
        const get = attributeReader(c.values, 'before');
        const soft = row.softDelete?.(get);
        if (soft) {
          const verb = key === 'delete' ? 'deleted' : 'replaced';
          report('softDeleted', { ...data, holds: row.holds, verb, ...soft }, at(c), extra);
          continue;
        }
        const note = row.recovery?.(get);
        const withData = { ...data, holds: row.holds, recovery: note ? ` (${note})` : '' };
        if (key === 'delete') report('deletedData', withData, at(c), extra);
        else if (key === 'delete,create') report('replacedDataDeleteFirst', withData, at(c), extra);
        else report('replacedDataCreateFirst', withData, at(c), extra);
      } else if (key === 'delete') {
        const before = c.values?.before;
        const kube = before && c.values?.beforeSensitive !== true ? await kubeObjectOfValues(c.type, before) : undefined;
        if (!kube) {
          report('deleted', data, at(c), extra);
          continue;
        }
        const removal = kubeRemoval(kube.object, kube.applyOnly);
        const withKube = { ...data, kube: describeKube(kube.object) };
        if (removal.id === 'data') report('deletedData', { ...withKube, holds: removal.holds, recovery: '' }, at(c), extra);
        else if (removal.id === 'repair') report('deletedKubeRepair', { ...withKube, why: removal.why }, at(c), extra);
        else if (removal.id === 'recreated') report('deletedKubeObject', { ...withKube, why: removal.why }, at(c), extra);
        else if (removal.id === 'kept') report('deletedKubeKept', withKube, at(c), extra);
        else report('deletedCustomResource', withKube, at(c), extra);
      }
      else if (key === 'delete,create') report('replacedDeleteFirst', data, at(c), extra);
      else report('replacedCreateFirst', data, at(c), extra);
    }
  },
});
