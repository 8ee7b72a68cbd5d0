import type { MessageData } from '../../../core/finding.js';
import { defineToggleRule } from '../../../core/toggle.js';
import { at, type TfContext } from '../model.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { keptResources } from '../lifecycle.js';

/** `lifecycle { prevent_destroy = true }` is turned off or removed from a resource that stays. */
export default defineToggleRule({
  id: 'prevent-destroy-removed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'prevent_destroy is removed or set to false on a resource that stays in the configuration.',
    rationale:
      'prevent_destroy makes Terraform refuse any plan that would destroy the object, replacements included. Removing it is usually the first step of a change that destroys or replaces the object; the removal itself is reversible, but a destroy applied while the guard is off is not undone by putting it back. Review the plan of this change, and of the next ones, for deletes and replaces of it.',
    fix: 'Keep the guard on data-bearing resources; when a replacement is intended, take a backup first and restore the guard in the same change set.',
    references: [
      'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
      'https://opentofu.org/docs/language/meta-arguments/lifecycle/',
    ],
  },
  messages: {
    removed: '{{address}} loses prevent_destroy: Terraform no longer refuses a plan that destroys or replaces it',
    removedData: {
      text: '{{address}} ({{holds}}) loses prevent_destroy: Terraform no longer refuses a plan that destroys or replaces it, and the data goes with it',
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
  ],
});
