import { defineRule } from '../../../core/rule.js';
import { at, describeObject, type KubeContext } from '../../../kube/model.js';
import { guideLink, removedAt } from '../data/removed-apis.js';

/**
 * API versions the target Kubernetes no longer serves. Writing one fails the sync; moving off one is
 * the right fix, but it makes the change forward-only: its revert writes the old version back.
 */
export default defineRule<KubeContext, 'notServed' | 'newNotServed' | 'alreadyNotServed' | 'revertNotServed'>({
  id: 'removed-api-version',
  surface: 'kubernetes',
  class: 'forward-only',
  severity: 'warning',
  smell: ['notServed', 'newNotServed'],
  docs: {
    summary:
      'An object is written with, or moved off, an API version the target Kubernetes (kubernetes.version) no longer serves.',
    rationale:
      'The API server answers a removed group/version with "no matches for kind": a manifest that uses one fails to apply, and a GitOps sync stays failed. Moving a manifest to the replacement version is the right fix, but its revert restores the removed version, which the cluster rejects: the change cannot be rolled back by a plain revert. The objects themselves are unaffected (they are stored once and served under every version), so nothing is lost; the old text simply cannot be applied again. An object the change adds with a removed version is refused as a whole (Argo CD and Flux dry-run a sync before applying it), so nothing is created: the change is a failed apply, said at warning, and its revert only removes a file that never applied (fully-reversible). Only what the change makes different counts: an object whose apiVersion was already the removed one at the base (the change edits something else) is reported as information, since the change neither breaks nor fixes it.',
    fix: 'Migrate to the replacement version named in the message (`kubectl convert` helps), and treat the migration commit as forward-only: a rollback of the surrounding release must keep the new apiVersion.',
    references: [
      'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
      'https://kubernetes.io/docs/reference/using-api/deprecation-policy/',
      'https://kubernetes.io/docs/tasks/tools/included/kubectl-convert-overview/',
    ],
  },
  messages: {
    notServed: {
      text: '{{object}} is written as {{apiVersion}}, which Kubernetes 1.{{minor}} no longer serves (removed in 1.{{removedIn}}): the API server rejects it and the sync fails. {{replacement}}',
      class: 'reversible-with-manual-repair',
      severity: 'error',
    },
    newNotServed: {
      text: '{{object}} is new and written as {{apiVersion}}, which Kubernetes 1.{{minor}} no longer serves (removed in 1.{{removedIn}}): the API server rejects it, so the sync fails and nothing is created. {{replacement}}',
      class: 'fully-reversible',
      severity: 'warning',
    },
    alreadyNotServed: {
      text: '{{object}} is still written as {{apiVersion}}, which Kubernetes 1.{{minor}} no longer serves (removed in 1.{{removedIn}}): the base revision had it already, so this change neither breaks nor fixes it. {{replacement}}',
      class: 'fully-reversible',
      severity: 'info',
    },
    revertNotServed: {
      text: '{{object}} moves from {{from}} to {{to}}; the revert restores {{from}}, which Kubernetes 1.{{minor}} no longer serves (removed in 1.{{removedIn}}): keep {{to}} in any rollback',
      decision: { effects: ['previous-invalid'] },
    },
  },
  check({ changes, kubeMinor, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const object = describeObject(c.after);
      const extra = { object: c.id };
      // Located only when reported: a line costs a walk of the object's events.
      const where = () => at(c.after!, ['apiVersion']);
      const now = removedAt(c.after.apiVersion, c.after.kind, kubeMinor);
      if (now) {
        // Only what the change makes different: an apiVersion the base already had is not the change's.
        // A new object is rejected as a whole: nothing is created, so nothing needs repair.
        const already = c.before !== undefined && c.before.apiVersion === c.after.apiVersion;
        report(
          already ? 'alreadyNotServed' : c.before === undefined ? 'newNotServed' : 'notServed',
          {
            object,
            apiVersion: c.after.apiVersion,
            minor: kubeMinor,
            removedIn: now.removedIn,
            replacement: now.replacement
              ? `Use ${now.replacement}${now.note ? ` (${now.note})` : ''}; see ${guideLink(now.removedIn)}.`
              : `${now.note ?? 'The kind is gone'}; see ${guideLink(now.removedIn)}.`,
          },
          where(),
          extra,
        );
        continue;
      }
      if (!c.before || c.before.apiVersion === c.after.apiVersion) continue;
      const was = removedAt(c.before.apiVersion, c.before.kind, kubeMinor);
      if (was)
        report(
          'revertNotServed',
          { object, from: c.before.apiVersion, to: c.after.apiVersion, minor: kubeMinor, removedIn: was.removedIn },
          where(),
          extra,
        );
    }
  },
});
