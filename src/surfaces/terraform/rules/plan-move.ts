import { defineRule } from '../../../core/rule.js';
import { actionsText, isNoop, type PlanContext } from '../plan/model.js';

/** Moves in the plan (`previous_address`): safe when the real object is not touched. */
/** `a` <-> `a[0]`: the move Terraform makes by itself when count is turned on or off, and makes back on a revert. */
function implicitCountMove(address: string, previous: string): boolean {
  return address === `${previous}[0]` || previous === `${address}[0]`;
}

export default defineRule<PlanContext, 'moved' | 'movedImplicitly' | 'movedAndChanged'>({
  id: 'plan-move',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'The plan moves resources to new addresses (moved blocks): a plain revert of the configuration plans a destroy and a create.',
    rationale:
      'A move changes the address in state and nothing on the real object when the action is no-op. Undoing it is a reverse moved block, not a revert: reverting the commit that added `moved { from = A to = B }` removes the block, and with state already at B, Terraform plans to destroy B and create A. A move that also updates or replaces the object is not a no-op, and is only as reversible as that change. The implicit move of `a` to `a[0]` when count is turned on (and back when it is turned off) needs no block either way, so it is fully reversible.',
    fix: 'Keep moved blocks in the configuration until every workspace has applied them; to roll back, add `moved { from = B to = A }`.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://opentofu.org/docs/language/modules/develop/refactoring/',
    ],
  },
  messages: {
    moved:
      '{{address}} moves from {{previous}} without change to the real object, but a plain revert of the configuration would destroy {{address}} and create {{previous}}: to undo it, add moved { from = {{address}} to = {{previous}} } (or terraform state mv)',
    movedImplicitly: {
      text: '{{address}} moves from {{previous}} because count was turned on or off: Terraform makes this move by itself, and makes it back on a revert',
      class: 'fully-reversible',
      severity: 'info',
    },
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
      if (isNoop(c.actions))
        report(implicitCountMove(c.address, c.previousAddress) ? 'movedImplicitly' : 'moved', data, at(c), {
          object: c.address,
        });
      else report('movedAndChanged', { ...data, action: actionsText(c.actions) }, at(c), { object: c.address });
    }
  },
});
