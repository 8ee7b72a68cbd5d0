import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject } from '../../../kube/model.js';
import { changedObjects, type ObjectsContext } from '../../../kube/objects.js';
import { appSpecPath, autoSync } from '../model.js';

/**
 * A fact the decision needs, not a change of class: an Application (or the Applications an
 * ApplicationSet generates) syncs automatically with self-heal, so any fix made in the cluster by
 * hand is reverted by Argo CD. A rollback has to go through Git, or pause this one Application first.
 */
export default defineToggleRule({
  id: 'self-heal',
  surface: 'argocd',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary:
      'An Application or ApplicationSet in the change syncs automatically with selfHeal: a manual rollback is overwritten.',
    rationale:
      'With `syncPolicy.automated.selfHeal: true` Argo CD reverts any live change that differs from Git (by default a few seconds after it notices the drift). An imperative rollback (`kubectl rollout undo`, `kubectl edit`, `helm rollback`) is therefore undone by the controller: the recovery must be a Git revert, or this one Application must be paused first (`argocd app set <app> --sync-policy none`) and restored after. `automated.enabled: false` (Argo CD 3.x) turns automation off even with selfHeal set. rollwright records this so the decision can name the right transition.',
    fix: 'Nothing to change: plan rollbacks as Git reverts. For break-glass, pause only this Application and reconcile Git at once.',
    references: [
      'https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-self-healing',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/ (automated.enabled, Argo CD 3.x)',
    ],
  },
  messages: {
    selfHeal:
      '{{object}} syncs automatically with selfHeal: a manual rollback in the cluster is reverted by Argo CD; roll back through Git, or pause only this Application (`argocd app set {{name}} --sync-policy none`) and restore it after',
    // Turning self-heal on changes how a later rollback is done, not whether this change can be undone:
    // a fact for the decision (info), like the finding on an Application that already self-heals.
    turnedOn:
      '{{object}} turns on selfHeal: from now on manual fixes in the cluster are reverted by Argo CD; a rollback must go through Git (or pause this one Application with `argocd app set {{name}} --sync-policy none`)',
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes).filter((c) => appSpecPath(c.after)),
  object: (c) => c.id,
  switches: [
    {
      read: (o) => autoSync(o).selfHeal,
      moves: { added: 'selfHeal', on: 'turnedOn', kept: 'selfHeal' },
      data: ({ after }) => ({ object: describeObject(after), name: after.name }),
      at: ({ after }) => at(after, [...appSpecPath(after)!, 'syncPolicy', 'automated', 'selfHeal']),
    },
  ],
});
