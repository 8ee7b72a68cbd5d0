import type { MessageData } from '../../../core/finding.js';
import { defineToggleRule } from '../../../core/toggle.js';
import { at, type TfContext } from '../model.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { deletionProtection, protectionOn } from '../data/deletion-protection.js';
import { keptResources } from '../lifecycle.js';

/**
 * A delete guard is turned off on a resource that stays: `lifecycle { prevent_destroy = true }`
 * removed, or the provider's `deletion_protection` (and its kin) turned off.
 */
export default defineToggleRule({
  id: 'prevent-destroy-removed',
  surface: 'terraform',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'A delete guard is turned off on a resource that stays: prevent_destroy removed or set to false, or the provider-side deletion_protection turned off.',
    rationale:
      'prevent_destroy makes Terraform refuse any plan that would destroy the object, replacements included; `deletion_protection` (RDS, Aurora, DynamoDB `deletion_protection_enabled`, load balancers `enable_deletion_protection`, Cloud SQL, GKE...) makes the cloud API itself refuse the delete. Turning either off changes nothing about the object and is undone by turning it on again, so the change is fully reversible; it is reported at high severity because it is usually the first step of a change that destroys or replaces the object, and a destroy applied while the guard is off is not undone by putting it back. Review the plan of this change, and of the next ones, for deletes and replaces of it. The provider default applies when the attribute is not written (false on AWS, true on the Google types that have it).',
    fix: 'Keep the guard on data-bearing resources; when a replacement is intended, take a backup first and restore the guard in the same change set.',
    references: [
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
      'https://opentofu.org/docs/language/meta-arguments/lifecycle/',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#deletion_protection',
      'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#deletion_protection_enabled',
      'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/sql_database_instance#deletion_protection',
    ],
  },
  messages: {
    removed: '{{address}} loses prevent_destroy: Terraform no longer refuses a plan that destroys or replaces it',
    removedData: {
      text: '{{address}} ({{holds}}) loses prevent_destroy: Terraform no longer refuses a plan that destroys or replaces it, and the data goes with it',
      severity: 'error',
    },
    protectionOff:
      '{{address}}: {{attribute}} is turned off: the cloud API no longer refuses a delete of it (turning it on again undoes this change, not a delete made meanwhile)',
    protectionOffData: {
      text: '{{address}} ({{holds}}): {{attribute}} is turned off: the cloud API no longer refuses a delete of it, and the data would go with it (turning it on again undoes this change, not a delete made meanwhile)',
      severity: 'error',
    },
  },
  pairs: ({ units }: TfContext) => keptResources(units),
  object: ({ after }) => after.address,
  switches: [
    {
      read: (r) => r.preventDestroy === true,
      moves: { off: ({ after }) => (dataBearing(after.type)?.holds ? 'removedData' : 'removed') },
      data: ({ after }): MessageData => {
        const holds = dataBearing(after.type)?.holds;
        return holds ? { address: after.address, holds } : { address: after.address };
      },
      at: ({ after }) => at(after, after.preventDestroyLine ?? after.line),
    },
    {
      read: (r) => protectionOn(r),
      moves: { off: ({ after }) => (dataBearing(after.type)?.holds ? 'protectionOffData' : 'protectionOff') },
      data: ({ after }): MessageData => {
        const holds = dataBearing(after.type)?.holds;
        const attribute = deletionProtection(after.type)?.attribute ?? 'deletion_protection';
        return holds ? { address: after.address, attribute, holds } : { address: after.address, attribute };
      },
      at: ({ after }) => at(after, after.argLines.get(deletionProtection(after.type)?.attribute ?? '') ?? after.line),
    },
  ],
});
