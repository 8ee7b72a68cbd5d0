import { previousStateChecks, worstSource } from './6-previous-state-checks.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'previous',
  n: 6,
  title: 'The previous state',
  text: 'Is the previous state still valid against the current world?',
  facts: [
    'artifact-available',
    'previous-artifact',
    'policy-denies-old',
    'secret-compromised',
    'old-secret-revoked',
    'old-iam-over-broad',
    'window-open',
    'crds-compatible',
  ],
  leadsTo:
    'all yes: `rollback` by declarative revert through Git; any no: `rollforward`, naming the failed check and its forward fix',
  ask({ walk, say }) {
    const { input, facts, findings, rationale, refused, playbook, failed } = walk;
    if (walk.outcome === 'rollback' || walk.outcome === 'compensate') {
      const checks = previousStateChecks(input, findings, facts, playbook);
      for (const c of checks) {
        rationale.push({
          question: c.check.text,
          answer: c.answer.startsWith('unknown:') ? c.answer : `${c.ok ? 'yes' : 'no'}: ${c.answer}`,
          source: c.source,
        });
        if (!c.ok) failed.push({ check: c.check, why: c.answer });
      }
      if (failed.length > 0) {
        walk.outcome = 'rollforward';
        for (const f of failed)
          refused.push({ transition: 'rollback', reason: `${f.check.text} No: ${f.why}`, alternative: 'rollforward' });
      }
      say(
        failed.length === 0
          ? 'yes: every check passed; rollback by declarative revert through Git'
          : `no (${failed.map((f) => f.check.id).join(', ')}): roll forward: ${failed.map((f) => f.check.forwardFix).join('; ')}`,
        failed.length === 0
          ? worstSource(checks.map((c) => c.source))
          : worstSource(checks.filter((c) => !c.ok).map((c) => c.source)),
      );
    } else {
      say(
        `not asked: ${walk.outcome === 'restore' ? 'restore' : 'rollforward'} is decided by the data question`,
        'assessment',
      );
    }
  },
});
