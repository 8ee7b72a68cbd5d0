/**
 * Git sources of Terraform modules and Kustomize remote bases: the repository URL and the ref a
 * source pins, and whether the remote still has that ref (`git ls-remote`; a commit id that is no
 * ref's tip by a shallow fetch of it).
 */
import { lsRemote, remoteHasCommit, type RemoteRef } from '../git/remote.js';
import { backoffMs, timing } from './http.js';
import { offlineAnswer, isOffline, type LiveAnswer, type LiveOptions } from './types.js';

export interface GitSource {
  /** What git is given (`https://github.com/acme/modules.git`, `git@github.com:acme/m.git`, a path). */
  url: string;
  /** `?ref=` (or kustomize's `?version=`); undefined when the source pins nothing. */
  ref?: string;
  /** The subdirectory inside the repository (`//modules/vpc`), for messages. */
  subdir?: string;
}

const HOSTED = /^(github\.com|gitlab\.com|bitbucket\.org)\//i;

/**
 * A Terraform module source of the git kind (`git::https://...?ref=`, `github.com/org/repo`,
 * `git@host:org/repo.git`), or a Kustomize remote base (`https://host/org/repo//path?ref=`,
 * `github.com/org/repo/path?ref=`), as a URL git can read and its ref. Undefined for other sources.
 */
export function parseGitSource(raw: string, flavour: 'terraform' | 'kustomize'): GitSource | undefined {
  let s = raw.trim();
  const forced = /^git::(.*)$/i.exec(s);
  if (forced) s = forced[1]!;
  const q = s.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? s.slice(q + 1) : '');
  let base = q >= 0 ? s.slice(0, q) : s;
  const ref =
    params.get('ref') ?? (flavour === 'kustomize' ? (params.get('version') ?? undefined) : undefined) ?? undefined;
  // `//` after the scheme separates the repository from a subdirectory.
  const schemeEnd = /^[a-z][a-z0-9+.-]*:\/\//i.exec(base)?.[0].length ?? 0;
  let subdir: string | undefined;
  const sep = base.indexOf('//', schemeEnd);
  if (sep >= 0) {
    subdir = base.slice(sep + 2).replace(/\/+$/, '') || undefined;
    base = base.slice(0, sep);
  } else {
    const git = /\.git(\/|$)/i.exec(base);
    if (git && git.index + 4 < base.length) {
      subdir = base.slice(git.index + 5).replace(/\/+$/, '') || undefined;
      base = base.slice(0, git.index + 4);
    }
  }
  let url: string;
  const bare = base.replace(/^https?:\/\//i, '');
  if (!schemeEnd && HOSTED.test(base)) {
    // github.com/org/repo[/path]: the repository is the first two path segments.
    const parts = base.split('/');
    url = `https://${parts
      .slice(0, 3)
      .join('/')
      .replace(/\.git$/i, '')}.git`;
    if (parts.length > 3 && subdir === undefined) subdir = parts.slice(3).join('/');
  } else if (schemeEnd && HOSTED.test(bare) && flavour === 'kustomize' && sep < 0) {
    const parts = bare.split('/');
    url = `${base.slice(0, schemeEnd)}${parts
      .slice(0, 3)
      .join('/')
      .replace(/\.git$/i, '')}.git`;
    if (parts.length > 3 && subdir === undefined) subdir = parts.slice(3).join('/');
  } else if (/^[\w.-]+@[\w.-]+:/.test(base) || schemeEnd || base.startsWith('/')) url = base;
  else return undefined;
  if (
    !forced &&
    flavour === 'terraform' &&
    !HOSTED.test(s) &&
    !/^[\w.-]+@[\w.-]+:/.test(s) &&
    !/\.git(\/\/|\/|$|\?)/i.test(s)
  )
    return undefined;
  return { url, ...(ref ? { ref } : {}), ...(subdir ? { subdir } : {}) };
}

/** Does the remote still have `ref` (a tag, a branch, a full ref name, or a commit id)? */
export async function checkGitRef(source: GitSource, opts: LiveOptions = {}): Promise<LiveAnswer> {
  if (isOffline(opts)) return offlineAnswer();
  const url = redactGitUrl(source.url);
  if (!source.ref)
    return {
      status: 'unknown',
      reason: `${url} pins no ref: the default branch moves, so no rollback target can be checked`,
      url,
    };
  const ref = source.ref;
  const t = timing(opts);
  const refs = await withRetries(() => lsRemote(source.url, { timeoutMs: t.timeoutMs }), opts);
  if (!refs.ok)
    return {
      status: refs.failure,
      reason:
        refs.failure === 'missing' ? `${url}: the repository is not there (${refs.reason})` : `${url}: ${refs.reason}`,
      url,
    };
  const found = matchRef(refs.value, ref);
  if (found)
    return {
      status: 'present',
      reason: `${url} has ${found.name} at ${(found.peeled ?? found.oid).slice(0, 12)}`,
      url,
      digest: found.peeled ?? found.oid,
    };
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(ref)) {
    const c = await withRetries(() => remoteHasCommit(source.url, ref, { timeoutMs: t.timeoutMs }), opts);
    if (c.ok) return { status: 'present', reason: `${url} serves commit ${ref.slice(0, 12)}`, url, digest: ref };
    return {
      status: c.failure,
      reason:
        c.failure === 'missing'
          ? `${url} does not serve commit ${ref.slice(0, 12)} (${c.reason})`
          : `${url}: ${c.reason}`,
      url,
    };
  }
  if (/^[0-9a-f]{7,39}$/.test(ref))
    return {
      status: 'unknown',
      reason: `${url}: ${ref} looks like an abbreviated commit id that is no ref's tip; only a full id can be fetched to check`,
      url,
    };
  return { status: 'missing', reason: `${url} has no tag or branch ${ref}`, url };
}

export function matchRef(refs: readonly RemoteRef[], ref: string): RemoteRef | undefined {
  const names = ref.startsWith('refs/') ? [ref] : [`refs/tags/${ref}`, `refs/heads/${ref}`];
  for (const n of names) {
    const r = refs.find((x) => x.name === n);
    if (r) return r;
  }
  if (/^[0-9a-f]{7,64}$/.test(ref)) return refs.find((x) => x.oid.startsWith(ref) || x.peeled?.startsWith(ref));
  return undefined;
}

async function withRetries<T>(
  attempt: () => Promise<
    | { ok: true; value: T }
    | { ok: false; failure: 'missing' | 'unauthorised' | 'unreachable' | 'rate-limited'; reason: string }
  >,
  opts: LiveOptions,
) {
  const t = timing(opts);
  let r = await attempt();
  for (let i = 1; i <= t.retries && !r.ok && (r.failure === 'unreachable' || r.failure === 'rate-limited'); i++) {
    await new Promise((res) => setTimeout(res, backoffMs(i, t)));
    r = await attempt();
  }
  return r;
}

export function redactGitUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
