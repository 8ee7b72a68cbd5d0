import { defineRule } from '../../../core/rule.js';
import { at, get, isObject, type Json } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { deepEqual } from '../../../kube/model.js';

/**
 * A sync window is added or changed in an AppProject. Deny windows (and allow windows, which deny
 * everything outside them) block syncs, rollback syncs included, unless manual sync is allowed.
 */
export default defineRule<ObjectsContext, 'blocking' | 'manual' | 'removed'>({
  id: 'sync-window',
  surface: 'argocd',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'An AppProject sync window is added, changed or removed.',
    rationale:
      'Sync windows block or allow syncs by schedule. While a deny window is active (or outside every allow window, once one exists) no sync runs: a rollback committed to Git waits too, unless the window sets `manualSync: true` and someone syncs by hand. The decision must know this before it promises a rollback by revert.',
    fix: 'Set `manualSync: true` on windows of production projects so a rollback can be synced by hand, and document who may do it.',
    references: ['https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/'],
  },
  messages: {
    blocking: {
      text: 'AppProject {{project}}: a {{kind}} window ({{schedule}} for {{duration}}) without manualSync blocks every sync while it applies, a rollback sync included',
      severity: 'warning',
    },
    manual:
      'AppProject {{project}}: a {{kind}} window ({{schedule}} for {{duration}}) blocks automated syncs; a rollback can still be synced by hand',
    removed: 'AppProject {{project}}: the {{kind}} window ({{schedule}} for {{duration}}) is removed',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.kind !== 'AppProject' || !c.bodyChanged) continue;
      const list = (o: typeof c.after) => {
        const w = o ? get(o.body, ['spec', 'syncWindows']) : undefined;
        return Array.isArray(w) ? w : [];
      };
      const olds = list(c.before);
      const news = list(c.after);
      const data = (w: Json) => ({
        project: (c.after ?? c.before)!.name,
        kind: isObject(w) ? String(w.kind ?? 'allow') : 'allow',
        schedule: isObject(w) ? String(w.schedule ?? '?') : '?',
        duration: isObject(w) ? String(w.duration ?? '?') : '?',
      });
      if (c.after)
        news.forEach((w, i) => {
          if (olds.some((o) => deepEqual(o, w))) return;
          report(
            isObject(w) && w.manualSync === true ? 'manual' : 'blocking',
            data(w),
            at(c.after!, ['spec', 'syncWindows', i]),
            {
              object: c.id,
            },
          );
        });
      for (const w of olds)
        if (
          !news.some((n) => deepEqual(n, w)) &&
          !news.some((n) => isObject(n) && isObject(w) && n.schedule === w.schedule && n.kind === w.kind)
        )
          report('removed', data(w), at(c.after ?? c.before!, ['spec', 'syncWindows']), { object: c.id });
    }
  },
});
