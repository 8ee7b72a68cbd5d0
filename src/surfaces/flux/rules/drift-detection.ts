import { defineToggleRule } from '../../../core/toggle.js';
import { at, describeObject, get } from '../../../kube/model.js';
import { changedObjects, type ObjectsContext } from '../../../kube/objects.js';

/**
 * A HelmRelease's drift detection changes mode. With `enabled`, helm-controller corrects live
 * changes back to the release, like Argo CD's selfHeal: a manual rollback is overwritten.
 */
export default defineToggleRule({
  id: 'drift-detection',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: "A HelmRelease's `spec.driftDetection.mode` changes (enabled, warn, disabled).",
    rationale:
      'With `driftDetection.mode: enabled` helm-controller compares the cluster with the release manifest at every reconcile and corrects what differs: an imperative fix or `helm rollback` done by hand is reverted. `warn` only reports drift; `disabled` (the default) ignores it. The decision needs this fact: with correction on, a rollback must go through Git or the HelmRelease must be suspended first.',
    fix: 'Nothing to change; plan rollbacks through Git, or `flux suspend helmrelease <name>` before an imperative fix.',
    references: ['https://fluxcd.io/flux/components/helm/helmreleases/#drift-detection'],
  },
  messages: {
    enabled:
      '{{object}} corrects drift (driftDetection.mode: enabled): a manual rollback in the cluster is reverted; roll back through Git or `flux suspend helmrelease {{name}}{{ns}}` first',
    disabled: '{{object}} no longer corrects drift (mode {{mode}}): live changes are left in place',
  },
  pairs: ({ changes }: ObjectsContext) => changedObjects(changes, { kinds: ['HelmRelease'] }),
  object: (c) => c.id,
  switches: [
    {
      read: (o) => String(get(o.body, ['spec', 'driftDetection', 'mode']) ?? 'disabled'),
      on: (mode) => mode === 'enabled',
      moves: { added: 'enabled', on: 'enabled', off: 'disabled' },
      data: ({ after }, mode) => ({
        object: describeObject(after),
        name: after.name,
        ns: after.namespace ? ` -n ${after.namespace}` : '',
        mode,
      }),
      at: ({ after }, move) => at(after, move === 'off' ? ['spec'] : ['spec', 'driftDetection', 'mode']),
    },
  ],
});
