import { defineRule } from '../../../core/rule.js';
import { isNoop, type PlanContext } from '../plan/model.js';

/** A finding's data: the drifted resource's address, the attributes that drifted, or its previous address. */
export type PlanDriftData = { address: string; attributes?: string; previous?: string };

/**
 * `resource_drift`: objects that changed outside Terraform since the last apply. The recorded state no
 * longer describes reality, so a rollback computed from it may do something else than expected.
 */
export default defineRule<PlanContext, 'drifted' | 'deletedOutside' | 'moved', PlanDriftData>({
  id: 'plan-drift',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  severity: 'warning',
  docs: {
    summary: 'The plan reports drift: objects changed or deleted outside Terraform since the last apply.',
    rationale:
      'Terraform refreshes state before planning and lists in `resource_drift` what changed outside it. Drift means the recorded state was lying: a rollback planned from an older configuration would also revert the out-of-band change (an emergency fix, a manual scale-up), and a deleted object comes back empty. Repair it before the apply: adopt the change in the configuration, or accept that the apply reverts it, knowingly.',
    fix: 'Run `terraform plan -refresh-only`, review the drift, and either update the configuration to match or apply the refresh before this change.',
    references: [
      'https://developer.hashicorp.com/terraform/internals/json-format#plan-representation',
      'https://developer.hashicorp.com/terraform/tutorials/state/resource-drift',
      'https://developer.hashicorp.com/terraform/cli/commands/plan#planning-modes',
    ],
  },
  messages: {
    drifted:
      '{{address}} changed outside Terraform ({{attributes}}): recorded state does not match reality; repair it before applying',
    deletedOutside: {
      text: '{{address}} was deleted outside Terraform: the apply creates it again, new and empty; find out why before applying',
      severity: 'error',
    },
    moved: {
      text: '{{address}} moved from {{previous}} (refresh-only): the state address changes, the real object does not',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
    },
  },
  check({ plan, at, report }) {
    for (const d of plan.drift) {
      if (d.mode !== 'managed') continue;
      const extra = { object: d.address };
      if (isNoop(d.actions)) {
        if (d.previousAddress) report('moved', { address: d.address, previous: d.previousAddress }, at(d), extra);
        continue;
      }
      if (d.actions.includes('delete') && !d.actions.includes('create'))
        report('deletedOutside', { address: d.address }, at(d), extra);
      else
        report(
          'drifted',
          {
            address: d.address,
            attributes: d.changedAttributes?.length ? d.changedAttributes.join(', ') : 'attributes not shown',
          },
          at(d),
          extra,
        );
    }
  },
});
