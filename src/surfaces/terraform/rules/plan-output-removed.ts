import { defineRule } from '../../../core/rule.js';
import type { PlanContext } from '../plan/model.js';

/** Root outputs removed by the plan: other configurations may read them. */
export default defineRule<PlanContext, 'removed'>({
  id: 'plan-output-removed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'The plan removes a root module output that other configurations may read.',
    rationale:
      'Outputs are an interface: other stacks read them through `terraform_remote_state` or `tfe_outputs`, and fail on their next plan once an output is gone. Restoring the output repairs the interface, but whatever failed or was planned in between needs someone to look at it. Values are never shown, sensitive or not.',
    fix: 'Keep the output until no consumer reads it (search the other stacks for the output name), then remove it.',
    references: [
      'https://developer.hashicorp.com/terraform/language/state/remote-state-data',
      'https://developer.hashicorp.com/terraform/internals/json-format#plan-representation',
    ],
  },
  messages: {
    removed:
      'output {{name}} is removed: configurations that read it through terraform_remote_state or tfe_outputs fail on their next plan',
  },
  check({ plan, at, report }) {
    for (const o of plan.outputs)
      if (o.actions.length === 1 && o.actions[0] === 'delete')
        report('removed', { name: o.name }, at(o), { object: `output.${o.name}` });
  },
});
