import { defineRule } from '../../../core/rule.js';
import { actionsText, isNoop, type PlanContext } from '../plan/model.js';

/** Moves in the plan (`previous_address`): safe when the real object is not touched. */
export default defineRule<PlanContext, 'moved' | 'movedAndChanged'>({
  id: 'plan-move',
  surface: 'terraform',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'The plan moves resources to new addresses (moved blocks, implicit count moves).',
    rationale:
      'A move changes the address in state and nothing on the real object when the action is no-op. Undoing it is a reverse moved block, not a revert: reverting the commit that added `moved { from = A to = B }` removes the block, and with state already at B, Terraform plans to destroy B and create A. A move that also updates or replaces the object is not a no-op, and is only as reversible as that change.',
    fix: 'Keep moved blocks in the configuration until every workspace has applied them; to roll back, add `moved { from = B to = A }`.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://opentofu.org/docs/language/modules/develop/refactoring/',
    ],
  },
  messages: {
    moved:
      '{{address}} moves from {{previous}} without change to the real object; to undo it, add moved { from = {{address}} to = {{previous}} } (a plain revert would destroy and re-create it)',
    movedAndChanged: {
      text: '{{address}} moves from {{previous}} and is also {{action}}: a move is safe only when it changes nothing on the real object',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
  },
  check({ plan, at, report }) {
    for (const c of plan.changes) {
      if (!c.previousAddress || c.mode !== 'managed') continue;
      const data = { address: c.address, previous: c.previousAddress };
      if (isNoop(c.actions)) report('moved', data, at(c), { object: c.address });
      else report('movedAndChanged', { ...data, action: actionsText(c.actions) }, at(c), { object: c.address });
    }
  },
});
