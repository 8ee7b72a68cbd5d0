import { defineRule } from '../../../core/rule.js';
import type { PlanContext } from '../plan/model.js';

const KNOWN_ACTIONS = new Set([
  'no-op',
  'create',
  'read',
  'update',
  'delete',
  'delete,create',
  'create,delete',
  'forget',
  'create,forget',
]);

/**
 * The plan itself cannot be trusted to be the whole story: Terraform stopped with errors, planned only
 * part of the configuration (`-target`, deferred changes), or used an action this version of rollwright
 * does not know. Unknown is never safe.
 */
export default defineRule<PlanContext, 'errored' | 'partial' | 'unknownAction' | 'unreadable'>({
  id: 'plan-incomplete',
  surface: 'terraform',
  class: 'non-recoverable-without-restore',
  decision: { playbook: 'bad-iac-module', effects: ['state-wrong', 'unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    remedy:
      'fix the errors and plan again without -target (`terraform plan -out PLAN && terraform show -json PLAN`), then assess the new plan; upgrade rollwright when Terraform adds an action',
  },
  docs: {
    summary:
      'The plan errored, is partial (-target, deferred changes), cannot be read, or uses an action rollwright does not know.',
    rationale:
      'An errored plan lists only what Terraform got to before it failed, so what it would destroy is unknown; rollwright holds it at the conservative end and the gate fails until a complete plan is assessed. A partial plan (`complete: false`: `-target`, deferred changes) leaves the rest of the configuration and its state apart: the next full plan includes what was skipped. An action that is not in the JSON format rollwright knows may delete something.',
    fix: 'Fix the errors and plan again without -target; assess the new plan. Upgrade rollwright when Terraform adds an action.',
    references: [
      'https://developer.hashicorp.com/terraform/internals/json-format#plan-representation',
      'https://developer.hashicorp.com/terraform/cli/commands/plan#resource-targeting',
    ],
  },
  messages: {
    errored:
      'the plan has errored: true: Terraform stopped before planning everything, so what it would change is unknown',
    partial: {
      text: 'the plan is partial (complete: false{{deferred}}): resources outside it were not planned, and the next full plan brings them back in',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: ['state-wrong'] },
      unassessed: false,
    },
    unknownAction:
      '{{address}} has actions {{actions}}, which rollwright does not know: assume it may delete the object',
    unreadable: 'this plan JSON cannot be read: {{reason}}',
  },
  check({ plan, at, report }) {
    const top = { file: plan.file, line: 1 };
    if (plan.errored) report('errored', {}, top);
    if (plan.complete === false || plan.deferred > 0)
      report('partial', { deferred: plan.deferred ? `, ${plan.deferred} deferred changes` : '' }, top);
    for (const c of [...plan.changes, ...plan.drift])
      if (!KNOWN_ACTIONS.has(c.actions.join(',')))
        report('unknownAction', { address: c.address, actions: JSON.stringify(c.actions) }, at(c), {
          object: c.address,
        });
  },
});
