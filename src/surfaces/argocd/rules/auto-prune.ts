import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject } from '../../../kube/model.js';
import { changedObjects, type ObjectsContext } from '../../../kube/objects.js';
import { appSpecPath, autoSync } from '../model.js';

/**
 * Automated pruning turned on: from now on a manifest removed from Git is deleted from the cluster by
 * the next automated sync. Combined with a bad commit this turns a Git mistake into a deletion.
 */
export default defineToggleRule({
  id: 'auto-prune',
  surface: 'argocd',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary: 'Automated sync with `prune: true` is turned on for an Application or ApplicationSet.',
    rationale:
      'By default an automated sync only creates and updates; with `syncPolicy.automated.prune: true` a resource no longer found in the source is deleted from the cluster. The setting itself is reversible, but it changes what every later change does: a manifest dropped by mistake (or a source path moved) deletes live objects, PersistentVolumeClaims included, unless they carry `argocd.argoproj.io/sync-options: Prune=false`.',
    fix: 'Protect stateful objects with `argocd.argoproj.io/sync-options: Prune=false` (or `Delete=false`) before turning pruning on.',
    references: [
      'https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources',
    ],
  },
  messages: {
    turnedOn:
      '{{object}} turns on automated pruning: objects removed from its source are now deleted from the cluster by the next sync',
    added: {
      text: '{{object}} is added with automated pruning: objects removed from its source will be deleted from the cluster',
      severity: 'info',
    },
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes).filter((c) => appSpecPath(c.after)),
  object: (c) => c.id,
  switches: [
    {
      read: (o) => autoSync(o).prune,
      moves: { added: 'added', on: 'turnedOn' },
      data: ({ after }) => ({ object: describeObject(after) }),
      at: ({ after }) => at(after, [...appSpecPath(after)!, 'syncPolicy', 'automated', 'prune']),
    },
  ],
});
