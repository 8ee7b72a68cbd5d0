import { defineRule } from '../../../core/rule.js';
import { at, describeObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { autoSync, describeSource, sourcesOf } from '../model.js';

/**
 * The source of an Application changes. A new revision of the same source is an ordinary promotion
 * (the revert points back at the old one); a new repository, path or chart replaces what the
 * Application deploys, and with automated pruning the objects only the old source had are deleted.
 */
export default defineRule<ObjectsContext, 'revision' | 'replaced' | 'replacedPrune'>({
  id: 'source-changed',
  surface: 'argocd',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: "An Application's source (repoURL, path, chart or targetRevision) changes.",
    rationale:
      'A targetRevision change promotes another revision of the same source: reverting it points the Application back, and the rendered difference is assessed where the manifests live (Kubernetes, Kustomize, Helm surfaces). A repoURL, path or chart change replaces the whole set of objects the Application manages: with automated pruning, objects that only the old source declared are deleted by the sync (PersistentVolumeClaims with their volumes), and the revert re-creates them empty.',
    fix: 'Before moving a source, compare both renderings; protect stateful objects with `argocd.argoproj.io/sync-options: Prune=false`, or move with pruning off and prune by hand after checking.',
    references: [
      'https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning',
    ],
  },
  messages: {
    revision: '{{object}}: source {{source}} moves from {{from}} to {{to}}; reverting points it back',
    replaced: {
      text: '{{object}}: source {{from}} is replaced by {{to}}; objects only the old source declared are left unmanaged (no automated prune)',
      severity: 'warning',
    },
    replacedPrune: {
      text: '{{object}}: source {{from}} is replaced by {{to}} with automated pruning: objects only the old source declared are deleted by the sync, and a revert re-creates them empty',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.status === 'added' || c.status === 'removed' || !c.before || !c.after || !c.bodyChanged) continue;
      const olds = sourcesOf(c.before);
      const news = sourcesOf(c.after);
      const object = describeObject(c.after);
      const oldNames = new Set(olds.map((s) => describeSource(s.source)));
      const newNames = new Set(news.map((s) => describeSource(s.source)));
      for (const s of news) {
        const name = describeSource(s.source);
        const old = olds.find((o) => describeSource(o.source) === name);
        if (old && String(old.source.targetRevision ?? 'HEAD') !== String(s.source.targetRevision ?? 'HEAD'))
          report(
            'revision',
            {
              object,
              source: name,
              from: String(old.source.targetRevision ?? 'HEAD'),
              to: String(s.source.targetRevision ?? 'HEAD'),
            },
            at(c.after, [...s.path, 'targetRevision']),
            { object: c.id },
          );
      }
      const gone = [...oldNames].filter((n) => !newNames.has(n));
      const came = news.filter((s) => !oldNames.has(describeSource(s.source)));
      if (gone.length === 0) continue;
      const where = came[0] ? at(c.after, came[0].path) : at(c.after, ['spec']);
      report(
        autoSync(c.after).prune ? 'replacedPrune' : 'replaced',
        { object, from: gone.join(', '), to: came.map((s) => describeSource(s.source)).join(', ') || '(nothing)' },
        where,
        { object: c.id },
      );
    }
  },
});
