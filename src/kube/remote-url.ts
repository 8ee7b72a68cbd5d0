/**
 * Remote files a kustomization (or Flux, or Argo CD) reads by URL, where the ref is part of the path
 * rather than a `?ref=` query: a GitHub release asset (`/releases/download/<tag>/<file>`), a raw file
 * (`raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`, `github.com/<owner>/<repo>/raw/<ref>/<path>`).
 * `?ref=` applies to kustomize's git repository URLs only; these URLs are pinned by the ref in their path.
 */
export interface PathPinnedUrl {
  owner: string;
  repo: string;
  /** The tag, commit or branch in the path. */
  ref: string;
  /** The file inside the release or the repository. */
  file: string;
  /** What pins it: a release tag, or a git ref (tag, commit or branch) of a raw file. */
  form: 'release' | 'raw';
  /** True when the ref names a moving target: a branch-like name (main, master, HEAD...) or the latest release. */
  mutable: boolean;
}

const BRANCH_LIKE = /^(main|master|HEAD|develop|dev|trunk|latest|stable|release|edge|nightly)$/i;

export function pathPinnedUrl(url: string): PathPinnedUrl | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (u.hostname === 'raw.githubusercontent.com' && parts.length >= 4) {
    const [owner, repo, ...rest] = parts as [string, string, ...string[]];
    // raw.githubusercontent.com/<o>/<r>/refs/heads/<branch>/<path> and /refs/tags/<tag>/<path>
    if (rest[0] === 'refs' && (rest[1] === 'heads' || rest[1] === 'tags') && rest.length >= 4)
      return { owner, repo, ref: rest[2]!, file: rest.slice(3).join('/'), form: 'raw', mutable: rest[1] === 'heads' };
    const ref = rest[0]!;
    return { owner, repo, ref, file: rest.slice(1).join('/'), form: 'raw', mutable: BRANCH_LIKE.test(ref) };
  }
  if (u.hostname === 'github.com' && parts.length >= 5) {
    const [owner, repo, verb, ...rest] = parts as [string, string, string, ...string[]];
    if (verb === 'releases' && rest[0] === 'download' && rest.length >= 3)
      return { owner, repo, ref: rest[1]!, file: rest.slice(2).join('/'), form: 'release', mutable: false };
    if (verb === 'releases' && rest[0] === 'latest' && rest[1] === 'download' && rest.length >= 3)
      return { owner, repo, ref: 'latest', file: rest.slice(2).join('/'), form: 'release', mutable: true };
    if ((verb === 'raw' || verb === 'blob') && rest.length >= 2)
      return {
        owner,
        repo,
        ref: rest[0]!,
        file: rest.slice(1).join('/'),
        form: 'raw',
        mutable: BRANCH_LIKE.test(rest[0]!),
      };
  }
  return undefined;
}
