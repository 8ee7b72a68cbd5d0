import { defineRule } from '../../../core/rule.js';
import { at, describeObject, isPlaceholder } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import { describeSource, sourcesOf } from '../model.js';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const VERSION = /^v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$/;
const RANGE = /[*^~<>|x]|\s-\s|^$/;
const BRANCHES = /^(main|master|trunk|develop|development|dev|staging|stage|prod|production|release)$/i;

/** How a targetRevision pins what is deployed. */
export function revisionKind(
  rev: string | undefined,
  chart: boolean,
): 'head' | 'branch' | 'range' | 'pinned' | 'unknown' {
  if (rev === undefined || rev === '' || rev === 'HEAD') return 'head';
  if (chart) return VERSION.test(rev) ? 'pinned' : RANGE.test(rev) ? 'range' : 'unknown';
  if (COMMIT.test(rev) || VERSION.test(rev)) return 'pinned';
  if (BRANCHES.test(rev) || rev.startsWith('refs/heads/')) return 'branch';
  return 'unknown';
}

/**
 * A smell, not a change of class: an Application tracks a moving target (HEAD, a branch, a chart
 * version range). The state to roll back to is not named by the Application itself.
 */
export default defineRule<ObjectsContext, 'head' | 'branch' | 'range'>({
  id: 'mutable-target-revision',
  surface: 'argocd',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'An Application source tracks HEAD, a branch or a chart version range instead of a tag, commit or exact version.',
    rationale:
      'Argo CD resolves `targetRevision` at every reconcile: HEAD (also the default when the field is omitted) and branch names move with every push, and a Helm chart `targetRevision` with a range (`1.*`, `>=1.2.0`) picks the newest match. What is deployed then changes without a change to the Application, and reverting the Application does not bring the previous state back. A tag or commit (or an exact chart version) makes the rollback target explicit.',
    fix: 'Pin `targetRevision` to a tag or commit SHA (or an exact chart version) in production; promote by changing it.',
    references: ['https://argo-cd.readthedocs.io/en/stable/user-guide/tracking_strategies/'],
  },
  messages: {
    head: '{{object}}: source {{source}} tracks HEAD (targetRevision {{revision}}): what is deployed moves with every push',
    branch:
      '{{object}}: source {{source}} tracks the branch {{revision}}: what is deployed moves with every push to it',
    range:
      '{{object}}: chart {{source}} uses the version range {{revision}}: the newest matching chart is deployed without a commit',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const before = new Map(
        (c.before ? sourcesOf(c.before) : []).map((s) => [describeSource(s.source), s.source.targetRevision]),
      );
      for (const s of sourcesOf(c.after)) {
        const rev = typeof s.source.targetRevision === 'string' ? s.source.targetRevision : undefined;
        if (rev !== undefined && isPlaceholder(rev)) continue;
        const kind = revisionKind(rev, typeof s.source.chart === 'string');
        if (kind === 'pinned' || kind === 'unknown') continue;
        // Only what this change introduces: an unchanged source on an unchanged revision was judged before.
        const name = describeSource(s.source);
        if (before.has(name) && before.get(name) === s.source.targetRevision) continue;
        report(
          kind,
          { object: describeObject(c.after), source: name, revision: rev ?? '(omitted: HEAD)' },
          at(c.after, [...s.path, rev === undefined ? 'repoURL' : 'targetRevision']),
          { object: c.id },
        );
      }
    }
  },
});
