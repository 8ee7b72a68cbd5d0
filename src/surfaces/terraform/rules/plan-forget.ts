import { defineRule } from '../../../core/rule.js';
import type { PlanContext } from '../plan/model.js';

/** Forgets in the plan (`removed` blocks with `destroy = false`): the object stays, unmanaged. */
export default defineRule<PlanContext, 'forgotten' | 'replacedAndForgotten'>({
  id: 'plan-forget',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'The plan forgets resources: they leave state but keep running.',
    rationale:
      'A forget (`["forget"]`, from a `removed` block with `lifecycle { destroy = false }`) is a no-op on the real object, which is what makes it safe; but the object is no longer managed, and reverting the configuration does not adopt it again: the revert plans to create a second one (a name clash, or a duplicate) unless an import block brings the existing one back. `["create","forget"]` replaces an object and leaves the old one running, unmanaged.',
    fix: 'To undo a forget, add an import block for the object next to its restored resource block.',
    references: [
      'https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources',
      'https://developer.hashicorp.com/terraform/language/block/removed',
      'https://opentofu.org/docs/language/resources/syntax/#removing-resources',
    ],
  },
  messages: {
    forgotten:
      '{{address}} is forgotten: the real object keeps running outside Terraform; a rollback needs an import block to manage it again',
    replacedAndForgotten: {
      text: '{{address}} is replaced and the old object is forgotten, not deleted: both exist afterwards, the old one unmanaged',
      severity: 'warning',
    },
  },
  check({ plan, at, report }) {
    for (const c of plan.changes) {
      const key = c.actions.join(',');
      if (key === 'forget') report('forgotten', { address: c.address }, at(c), { object: c.address });
      else if (key === 'create,forget')
        report('replacedAndForgotten', { address: c.address }, at(c), { object: c.address });
    }
  },
});
