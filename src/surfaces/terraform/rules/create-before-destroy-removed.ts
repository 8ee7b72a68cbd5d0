import { defineToggleRule } from '../../../core/toggle.js';
import { at, type TfContext } from '../model.js';
import { keptResources } from '../lifecycle.js';

/** `lifecycle { create_before_destroy = true }` is turned off or removed from a resource that stays. */
export default defineToggleRule({
  id: 'create-before-destroy-removed',
  surface: 'terraform',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'create_before_destroy is removed or set to false on a resource that stays in the configuration.',
    rationale:
      'With create_before_destroy, a replacement creates the new object before deleting the old one: both exist for a while, a compatibility window. Without it, the next replacement deletes first: an outage between the delete and the create, and a rollback that replaces the object again has the same gap. Terraform also applies create_before_destroy to the dependencies of such a resource, so turning it off changes their replacement order too. Turning the setting off replaces nothing by itself and is undone by turning it on again: the change is fully reversible, and the warning is about the next replacement.',
    fix: 'Keep create_before_destroy where names allow two objects side by side; if a unique name forced its removal, use a name_prefix instead.',
    references: [
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#create_before_destroy',
      'https://opentofu.org/docs/language/meta-arguments/lifecycle/',
    ],
  },
  messages: {
    removed:
      '{{address}} loses create_before_destroy: its next replacement deletes the old object before the new one exists (an outage in between, for the rollback too)',
  },
  pairs: ({ units }: TfContext) => keptResources(units),
  object: ({ after }) => after.address,
  switches: [
    {
      read: (r) => r.createBeforeDestroy === true,
      moves: { off: 'removed' },
      data: ({ after }) => ({ address: after.address }),
      at: ({ after }) => at(after, after.createBeforeDestroyLine ?? after.line),
    },
  ],
});
