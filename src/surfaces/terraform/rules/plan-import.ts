import { defineRule } from '../../../core/rule.js';
import { actionsText, isNoop, type PlanContext } from '../plan/model.js';

/** Imports in the plan: an existing object comes under management; undoing that is not a revert. */
export default defineRule<PlanContext, 'imported' | 'importedAndChanged'>({
  id: 'plan-import',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'The plan imports existing objects into state (import blocks, `importing` in the plan).',
    rationale:
      'An import changes what Terraform manages, not what exists. Reverting the configuration does not un-import: the object stays in state, and removing its resource block then plans to destroy it, unless a `removed` block with `destroy = false` forgets it. When the same apply also updates the imported object, its settings from before the import are in no state or configuration: a rollback cannot restore them from Terraform.',
    fix: 'Import with a configuration that matches the object (a no-op import); keep the removed-block recipe for undoing it at hand.',
    references: [
      'https://developer.hashicorp.com/terraform/language/import',
      'https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources',
      'https://opentofu.org/docs/language/import/',
    ],
  },
  messages: {
    imported:
      '{{address}} is imported{{id}} without change: undoing it is a removed block with destroy = false, not a revert (a revert leaves it in state, and dropping its block would destroy it)',
    importedAndChanged: {
      text: '{{address}} is imported{{id}} and then {{action}} in the same apply: its settings before the import are in no state, so a rollback cannot restore them from Terraform',
      severity: 'warning',
    },
  },
  check({ plan, at, report }) {
    for (const c of plan.changes) {
      if (!c.importing) continue;
      const data = { address: c.address, id: c.importing.id ? ` (id ${c.importing.id})` : '' };
      if (isNoop(c.actions)) report('imported', data, at(c), { object: c.address });
      else report('importedAndChanged', { ...data, action: actionsText(c.actions) }, at(c), { object: c.address });
    }
  },
});
