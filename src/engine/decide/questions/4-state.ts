import { cite } from '../runbook/step.js';
import { repairStateSteps, workspaceFor } from '../runbook/terraform.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'state',
  n: 4,
  title: 'IaC state',
  text: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
  facts: ['state-drift'],
  leadsTo:
    'containment `repair-state` before any apply: refresh-only plan, import or moved blocks; never apply blindly',
  ask({ walk, say, sayFact }) {
    const { input, facts, containment, contain, by, terraformFindings, workspaces } = walk;
    if (terraformFindings.length === 0 && input.repository.workspaces.length === 0) {
      say('no: the change touches no Terraform/OpenTofu workspace', 'assessment');
    } else {
      const wrong = by('state-wrong');
      const r = facts.get(
        'state-drift',
        wrong.length > 0 ? { value: true, source: 'assessment', evidence: cite(wrong[0]!) } : undefined,
      );
      if (r.value === true) {
        containment.push('repair-state');
        const ws = workspaces.length > 0 ? workspaces : [workspaceFor(input, terraformFindings[0]?.file ?? '.')];
        contain.push(...repairStateSteps(ws, wrong, input));
        sayFact(
          'state-drift',
          r,
          `${r.evidence ? `${r.evidence}; ` : ''}repair state before any apply (${ws.map((w) => w.dir).join(', ')}); never apply blindly`,
        );
      } else {
        sayFact('state-drift', r, 'recorded state can be planned against as it is');
      }
    }
  },
});
