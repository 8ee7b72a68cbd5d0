import { defineRule } from '../../../core/rule.js';
import { instancesOf } from '../count.js';
import { addressDiff } from '../diff.js';
import { at, movedBlock, type TfContext } from '../model.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { identityless } from '../data/identityless-types.js';

/** A finding's data: the move (`from`, `to`), the reverse block a rollback needs, and what the object holds. */
export type MovedBlockAddedData = { from: string; to: string; reverse: string; holds?: string; why?: string };

/**
 * A `moved` block is added. The move itself changes only addresses in state, but it is one way: a plain
 * `git revert` removes the block and renames the resource back, and with state already at the new
 * address Terraform plans to destroy it and create a new object at the old one.
 */
export default defineRule<TfContext, 'added' | 'addedData' | 'addedLink', MovedBlockAddedData>({
  id: 'moved-block-added',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A moved block is added: the rename is applied to state, and a plain revert of the commit plans a destroy and a create.',
    rationale:
      'Terraform applies a `moved` block by changing the address recorded in state; the real object is untouched. A root configuration that is new in the change has no state yet, so the moved blocks it brings (its own, or those of the local modules it calls) move nothing and are not reported; nor are those whose target has no instance with the inputs the configuration gives (its `count`, or that of a module call it sits in, is zero: a module called with `create = false`), since there is no object in state to move. Once applied, state holds the object at the new address only. Reverting the commit removes the block and puts the old address back in the configuration: Terraform sees an object in state with no block (destroy) and a block with no object (create). The documented way back is another refactoring: a reverse `moved { from = NEW  to = OLD }` block (or `terraform state mv`), governed like any change. For a data-bearing type the destroy loses the data. For a type with no data and no identity anything else keeps (a policy attachment, a customer-managed IAM policy, an EventBridge rule or target, an Auto Scaling group tag, a launch template: see data/identityless-types.ts), the destroy and create of a plain revert give back an object with the same effect, and what references it in the configuration is re-pointed by the same apply: fully reversible (info).',
    fix: 'Keep the reverse moved block ready with the change declaration, and keep the forward block in the configuration until every workspace has applied it.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://developer.hashicorp.com/terraform/language/block/moved',
      'https://developer.hashicorp.com/terraform/cli/commands/state/mv',
      'https://developer.hashicorp.com/terraform/language/meta-arguments/count (count = 0 creates no instance; module blocks accept count too)',
      'https://opentofu.org/docs/language/modules/develop/refactoring/',
      'https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html (a managed policy must be detached everywhere before it can be deleted)',
      'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html (a rule must have no targets before it can be deleted)',
    ],
  },
  messages: {
    added:
      'moved {{from}} -> {{to}}: state is renamed on apply; a plain revert would destroy {{to}} and create {{from}} again. To roll back, add {{reverse}} (or terraform state mv)',
    addedData:
      'moved {{from}} -> {{to}} ({{holds}}): state is renamed on apply; a plain revert would destroy {{to}} with its data and create an empty {{from}}. To roll back, add {{reverse}} (or terraform state mv)',
    addedLink: {
      text: 'moved {{from}} -> {{to}}: state is renamed on apply; a plain revert would destroy {{to}} and create {{from}} again, and {{why}}, with no data and no identity anything else keeps, so the new object has the same effect (a reverse moved block {{reverse}} only avoids the short gap)',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ units, report }) {
    for (const unit of units) {
      // A root configuration new in the change has no state: its moved blocks (its own or its local
      // modules') have nothing to move.
      if (unit.broken || !unit.head || !unit.base) continue;
      const before = new Set((unit.base?.moved ?? []).map((m) => `${m.from}\0${m.to}`));
      const unread = addressDiff(unit).codeUnread.map(({ after }) => `${after.address}.`);
      for (const m of unit.head.moved) {
        if (before.has(`${m.from}\0${m.to}`) || unread.some((p) => m.to.startsWith(p))) continue;
        // The type from the resource at the new address, or from the address itself when the block
        // names one the configuration no longer declares.
        const to = m.to.replace(/\[[^\]]*\]$/, '');
        const target = unit.head.resources.get(to);
        // A resource with no instance (its count, or that of a module call it sits in, is zero with
        // the inputs the configuration gives): there is nothing in state to move.
        if (target && instancesOf(unit.head, target).state === 'off') continue;
        const type = target?.type ?? /(?:^|\.)([A-Za-z][\w-]*)\.[\w-]+$/.exec(to)?.[1];
        const holds = type ? dataBearing(type)?.holds : undefined;
        const why = type ? identityless(type) : undefined;
        const data = { from: m.from, to: m.to, reverse: movedBlock(m.to, m.from) };
        if (holds) report('addedData', { ...data, holds }, at(m), { object: m.to });
        else if (why) report('addedLink', { ...data, why }, at(m), { object: m.to });
        else report('added', data, at(m), { object: m.to });
      }
    }
  },
});
