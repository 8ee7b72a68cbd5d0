import { defineRule } from '../../../core/rule.js';
import { at, deepEqual, describeObject, get, isObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

/**
 * How helm-controller remediates a failed install or upgrade: rollback (the default strategy once
 * retries are set), uninstall, or nothing. The settings decide what happens to a bad release before
 * anyone decides anything.
 */
export default defineRule<ObjectsContext, 'uninstall' | 'none' | 'changed'>({
  id: 'helm-remediation',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: "A HelmRelease's install/upgrade remediation or rollback settings change.",
    rationale:
      "helm-controller remediates a failed action according to `spec.install.remediation` and `spec.upgrade.remediation`: with `retries` set, a failed upgrade is rolled back (`strategy: rollback`, the default) or the release is uninstalled (`strategy: uninstall`), and `spec.rollback` tunes the rollback (`cleanupOnFail`, `force`, `recreate`). Without retries a failed upgrade stays failed and nothing is rolled back. An uninstall deletes every object of the release (the chart's PersistentVolumeClaims included, unless kept with `helm.sh/resource-policy: keep`). Note that a Helm rollback does not undo hooks that already ran, nor CRDs.",
    fix: 'Prefer `strategy: rollback` with a bounded `retries`; never `uninstall` for releases that own data.',
    references: [
      'https://fluxcd.io/flux/components/helm/helmreleases/#upgrade-remediation',
      'https://fluxcd.io/flux/components/helm/helmreleases/#rollback-configuration',
    ],
  },
  messages: {
    uninstall: {
      text: '{{object}}: a failed {{action}} is remediated by uninstalling the release: every object of the chart is deleted, claims and their volumes included unless kept',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    none: {
      text: '{{object}}: {{action}} remediation has no retries: a failed {{action}} stays failed and is not rolled back automatically',
      severity: 'warning',
    },
    changed: '{{object}}: {{what}} changes; a failed release is now handled differently ({{summary}})',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.kind !== 'HelmRelease' || !c.after || !c.bodyChanged) continue;
      const o = c.after;
      const object = describeObject(o);
      for (const action of ['install', 'upgrade'] as const) {
        const path = ['spec', action, 'remediation'];
        const now = get(o.body, path);
        const was = c.before ? get(c.before.body, path) : undefined;
        if (c.before && deepEqual(now, was)) continue;
        const strategy = isObject(now) ? now.strategy : undefined;
        const retries = isObject(now) ? now.retries : undefined;
        if (strategy === 'uninstall')
          report('uninstall', { object, action }, at(o, [...path, 'strategy']), { object: c.id });
        else if (
          c.before &&
          isObject(was) &&
          typeof was.retries === 'number' &&
          was.retries !== 0 &&
          (retries === undefined || retries === 0)
        )
          report('none', { object, action }, at(o, path), { object: c.id });
        else if (c.before)
          report(
            'changed',
            {
              object,
              what: `spec.${action}.remediation`,
              summary: `retries ${String(retries ?? 0)}, strategy ${String(strategy ?? 'rollback')}`,
            },
            at(o, path),
            { object: c.id },
          );
      }
      if (c.before && !deepEqual(get(o.body, ['spec', 'rollback']), get(c.before.body, ['spec', 'rollback']))) {
        const r = get(o.body, ['spec', 'rollback']);
        const summary = isObject(r)
          ? Object.entries(r)
              .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
              .join(', ')
          : 'defaults';
        report('changed', { object, what: 'spec.rollback', summary }, at(o, ['spec', 'rollback']), { object: c.id });
      }
    }
  },
});
