import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject, isPlaceholder } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/**
 * A smell, not a change of class: a Flux source follows a moving reference (a branch, the `latest`
 * tag, a semver range, no chart version), so the revision deployed changes without a commit.
 */
export default defineRule<ObjectsContext, 'branch' | 'latest' | 'range'>({
  id: 'source-unpinned',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'A GitRepository follows a branch, an OCIRepository the latest tag, or a HelmRelease a chart version range.',
    rationale:
      'source-controller resolves references at every interval: a GitRepository `ref.branch` (or no `ref`, which follows the default branch) moves with every push, an OCIRepository without `ref` pulls `latest`, and `ref.semver` or a HelmRelease `chart.spec.version` range (`*` when omitted) picks the newest match. What runs then changes without a commit, and the previous revision is not named anywhere Git can restore. A tag, a commit or digest, or an exact chart version is a rollback target.',
    fix: 'Pin `ref.tag`/`ref.commit` (Git), `ref.digest` or an immutable tag (OCI), an exact `chart.spec.version` (Helm), and promote by changing it.',
    references: [
      'https://fluxcd.io/flux/components/source/gitrepositories/#reference',
      'https://fluxcd.io/flux/components/source/ocirepositories/#reference',
      'https://fluxcd.io/flux/components/helm/helmreleases/#chart-template',
    ],
  },
  messages: {
    branch: '{{object}} follows {{ref}}: the deployed revision moves with every push',
    latest: '{{object}} follows {{ref}}: the deployed artifact changes whenever the tag is pushed again',
    range: '{{object}} follows the version range {{ref}}: the newest match is deployed without a commit',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      const o = c.after;
      const object = describeObject(o);
      const r = (id: 'branch' | 'latest' | 'range', ref: string, path: string[]) =>
        report(id, { object, ref }, at(o, path), { object: c.id });
      const ref = get(o.body, ['spec', 'ref']);
      const beforeRef = c.before ? JSON.stringify(get(c.before.body, ['spec', 'ref']) ?? null) : undefined;
      if (c.kind === 'GitRepository') {
        if (beforeRef === JSON.stringify(ref ?? null)) continue;
        if (!isObject(ref)) r('branch', 'the default branch (no spec.ref)', ['spec']);
        else if (typeof ref.commit === 'string' || typeof ref.tag === 'string' || typeof ref.name === 'string')
          continue;
        else if (typeof ref.semver === 'string') r('range', `semver ${ref.semver}`, ['spec', 'ref', 'semver']);
        else if (typeof ref.branch === 'string') r('branch', `branch ${ref.branch}`, ['spec', 'ref', 'branch']);
      } else if (c.kind === 'OCIRepository') {
        if (beforeRef === JSON.stringify(ref ?? null)) continue;
        if (!isObject(ref)) r('latest', 'the latest tag (no spec.ref)', ['spec']);
        else if (typeof ref.digest === 'string') continue;
        else if (typeof ref.semver === 'string') r('range', `semver ${ref.semver}`, ['spec', 'ref', 'semver']);
        else if (ref.tag === 'latest' || ref.tag === undefined) r('latest', 'tag latest', ['spec', 'ref']);
      } else if (c.kind === 'HelmRelease') {
        const path = ['spec', 'chart', 'spec', 'version'];
        if (!isObject(get(o.body, ['spec', 'chart']))) continue;
        const v = get(o.body, path);
        if (c.before && JSON.stringify(get(c.before.body, path) ?? null) === JSON.stringify(v ?? null)) continue;
        if (typeof v === 'string' && (EXACT_VERSION.test(v) || isPlaceholder(v))) continue;
        r(
          'range',
          typeof v === 'string' ? v : '* (no chart.spec.version)',
          typeof v === 'string' ? path : ['spec', 'chart', 'spec'],
        );
      }
    }
  },
});
