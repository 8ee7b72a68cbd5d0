import { defineRule } from '../../../core/rule.js';
import { pathPinnedUrl } from '../../../kube/remote-url.js';
import { isRemote, locate, stringEntries, type KustomizeContext } from '../model.js';

const PINNED = /^([0-9a-f]{40}|[0-9a-f]{64}|v?\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?)$/;

/** The `ref` (or `version`) a remote resource URL pins, if any. */
export function remoteRef(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const params = new URLSearchParams(url.slice(q + 1));
  return params.get('ref') ?? params.get('version') ?? undefined;
}

/** A smell, not a change of class: a remote base that moves under the overlay. */
export default defineRule<KustomizeContext, 'unpinned' | 'branch'>({
  id: 'remote-base-unpinned',
  surface: 'kustomize',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'A kustomization references a remote base without `?ref=` to a tag or commit (or a raw file / release asset URL on a branch).',
    rationale:
      "kustomize fetches remote resources (`github.com/org/repo//path`, `https://...`) at build time. Without `?ref=` it takes the repository's default branch, and a branch ref moves: the same commit of this repository renders different objects tomorrow, and reverting it does not restore what ran. A tag or a commit SHA makes the base part of the revision. `?ref=` applies to git repository URLs only: a plain HTTPS file is fetched as is, so a GitHub release asset (`github.com/<owner>/<repo>/releases/download/<tag>/<file>`) or raw file (`raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`) is pinned by the tag or commit in its path, and moves only when that ref is a branch (`main`, `master`, `refs/heads/...`) or the latest release (`releases/latest/download`).",
    fix: 'Pin remote bases with `?ref=<tag or commit SHA>`, or vendor them into the repository.',
    references: [
      'https://github.com/kubernetes-sigs/kustomize/blob/master/examples/remoteBuild.md',
      'https://docs.github.com/en/repositories/releasing-projects-on-github/linking-to-releases',
    ],
  },
  messages: {
    unpinned:
      '{{field}} entry {{url}} is not pinned (no ?ref=): it renders whatever the default branch holds when built',
    branch: '{{field}} entry {{url}} is pinned to {{ref}}, which looks like a branch: it moves',
  },
  check({ kustomizations, report }) {
    for (const k of kustomizations) {
      if (!k.after) continue;
      const before = new Set(
        k.before
          ? ['resources', 'bases', 'components'].flatMap((f) => stringEntries(k.before!.value, f).map((e) => e.value))
          : [],
      );
      for (const field of ['resources', 'bases', 'components']) {
        for (const e of stringEntries(k.after.value, field)) {
          if (!isRemote(e.value) || before.has(e.value)) continue;
          // A release asset or raw file URL carries its ref in the path (`?ref=` is for git repository URLs).
          const byPath = pathPinnedUrl(e.value);
          if (byPath) {
            if (byPath.mutable) report('branch', { field, url: e.value, ref: byPath.ref }, locate(k.after, [field, e.index]));
            continue;
          }
          const ref = remoteRef(e.value);
          if (ref === undefined) report('unpinned', { field, url: e.value }, locate(k.after, [field, e.index]));
          else if (!PINNED.test(ref)) report('branch', { field, url: e.value, ref }, locate(k.after, [field, e.index]));
        }
      }
    }
  },
});
