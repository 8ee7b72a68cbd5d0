import { flagOffSteps } from '../runbook/containment.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'flag',
  n: 3,
  title: 'Feature flags',
  text: 'Does a feature flag contain the impact?',
  facts: ['flag-contains-impact'],
  leadsTo: 'containment: the flag turned off in Git (its off variant), then the decision about the code goes on',
  ask({ walk, say, sayFact }) {
    const { input, facts, containment, contain } = walk;
    if (input.repository.flags.length === 0) {
      say('no: the change references or changes no feature flag', 'repository');
    } else {
      const r = facts.get('flag-contains-impact');
      const keys = input.repository.flags.map((f) => f.key).join(', ');
      if (r.value === true) {
        containment.push('rollforward');
        for (const f of input.repository.flags) contain.push(...flagOffSteps(f, input.change));
        sayFact(
          'flag-contains-impact',
          r,
          `turn ${keys} off in Git first (a forward change of the flag), then decide about the code`,
        );
      } else {
        sayFact('flag-contains-impact', r, `flag ${keys} does not contain the impact; decide about the code now`);
      }
    }
  },
});
