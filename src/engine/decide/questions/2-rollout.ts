import { abortSteps } from '../runbook/containment.js';
import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'rollout',
  n: 2,
  title: 'Progressive rollouts',
  text: 'Is a progressive rollout still before full promotion?',
  facts: ['rollout-in-progress'],
  leadsTo:
    'containment `abort-rollout`: the stable version keeps serving; the transition when the abort is the whole recovery',
  ask({ walk, say, sayFact }) {
    const { input, facts, containment, contain } = walk;
    const unreadRollouts = input.repository.unreadRollouts ?? [];
    if (input.repository.rollouts.length === 0 && unreadRollouts.length > 0) {
      // As for loops: a definition that could not be read is not "no rollout".
      say(
        `unknown: no readable Argo Rollout or Flagger Canary covers the change, but ${unreadRollouts.length === 1 ? 'a file' : `${unreadRollouts.length} files`} that may define one could not be read (${unreadRollouts
          .map((u) => `${u.file}:${u.line}: ${u.reason}`)
          .join(
            '; ',
          )}); if one is mid-rollout, aborting it may be the recovery: check with \`kubectl argo rollouts list rollouts -A\` (Flagger: \`kubectl get canaries -A\`) before acting`,
        'repository',
      );
    } else if (input.repository.rollouts.length === 0) {
      say('no: the change touches no Argo Rollout or Flagger Canary', 'repository');
    } else {
      const promoted = (input.ledger?.phasesPassed ?? []).find((p) =>
        /^(promoted|full|full-promotion|promote)$/i.test(p),
      );
      const r = facts.get(
        'rollout-in-progress',
        promoted ? { value: false, source: 'ledger', evidence: `phase ${promoted} deployed` } : undefined,
      );
      const names = input.repository.rollouts.map((x) => `${x.kind} ${x.namespace}/${x.name}`).join(', ');
      if (r.value === true) {
        walk.aborted = true;
        containment.push('abort-rollout');
        for (const ro of input.repository.rollouts) contain.push(...abortSteps(ro));
        sayFact('rollout-in-progress', r, `abort ${names}: the stable version keeps serving`);
      } else {
        sayFact(
          'rollout-in-progress',
          r,
          promoted
            ? `${names} fully promoted (ledger phase ${promoted}); abort is no longer a recovery`
            : `${names} is fully promoted; abort is no longer a recovery`,
        );
      }
    }
  },
});
