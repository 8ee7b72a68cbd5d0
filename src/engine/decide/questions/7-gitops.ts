import { defineQuestion } from './question.js';

export default defineQuestion({
  id: 'gitops',
  n: 7,
  title: 'The GitOps path',
  text: 'Is the GitOps path available (pipeline identity, network, controller health)?',
  facts: ['gitops-path-available'],
  leadsTo:
    'no: `break-glass`, the imperative action logged and followed at once by the reconciliation commit that makes Git agree',
  ask({ walk, sayFact }) {
    const gitops = walk.facts.get('gitops-path-available');
    const breakGlass = (walk.breakGlass = gitops.value === false);
    sayFact(
      'gitops-path-available',
      gitops,
      breakGlass
        ? 'break-glass: the imperative action, logged, then the reconciliation commit at once'
        : 'recover through Git; the controller applies the fix',
    );
  },
});
