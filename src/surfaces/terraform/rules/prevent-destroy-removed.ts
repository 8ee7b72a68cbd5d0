import { defineRule } from '../../../core/rule.js';
import { at, type TfContext } from '../model.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { headTwin } from '../lifecycle.js';

/** `lifecycle { prevent_destroy = true }` is turned off or removed from a resource that stays. */
export default defineRule<TfContext, 'removed' | 'removedData'>({
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
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      for (const before of unit.base.resources.values()) {
        if (before.mode !== 'managed' || before.preventDestroy !== true) continue;
        const after = headTwin(unit, before.address);
        if (!after || after.preventDestroy === true) continue;
        const line = after.preventDestroyLine ?? after.line;
        const h = dataBearing(after.type)?.holds;
        if (h) report('removedData', { address: after.address, holds: h }, at(after, line), { object: after.address });
        else report('removed', { address: after.address }, at(after, line), { object: after.address });
      }
    }
  },
});
