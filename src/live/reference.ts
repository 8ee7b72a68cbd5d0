/**
 * OCI references as container runtimes read them (the distribution/reference grammar and its
 * normalisation): `[domain/]path[:tag][@digest]`, where the first component is a registry host only
 * when it holds a `.` or a `:` or is `localhost`; otherwise the host is Docker Hub and a one-component
 * path gets the `library/` prefix. Docker Hub's API lives at `registry-1.docker.io`.
 */

export interface OciReference {
  /** The registry as written or defaulted (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** The host the API is reached at (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** The repository path (`library/nginx`, `acme/web`). */
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export type ParsedReference = { ok: true; ref: OciReference } | { ok: false; reason: string };

export function parseOciReference(input: string): ParsedReference {
  const raw = input.trim().replace(/^oci:\/\//, '');
  if (!raw) return { ok: false, reason: 'empty reference' };
  if (/\$\{|\{\{/.test(raw)) return { ok: false, reason: `${raw} is a template, not a reference` };
  const at = raw.indexOf('@');
  const digest = at >= 0 ? raw.slice(at + 1) : undefined;
  let rest = at >= 0 ? raw.slice(0, at) : raw;
  if (digest !== undefined && !DIGEST.test(digest))
    return { ok: false, reason: `${JSON.stringify(digest)} is not a digest` };
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: `${JSON.stringify(tag)} is not a tag` };
  }
  const first = rest.indexOf('/');
  let registry = 'docker.io';
  let path = rest;
  if (first > 0) {
    const head = rest.slice(0, first);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      registry = head;
      path = rest.slice(first + 1);
    }
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!path || !path.split('/').every((c) => PATH_COMPONENT.test(c)))
    return {
      ok: false,
      reason: `${JSON.stringify(path)} is not a repository path (lowercase components separated by /)`,
    };
  return {
    ok: true,
    ref: {
      registry,
      apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
      repository: path,
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

export function formatReference(r: OciReference): string {
  return `${r.registry}/${r.repository}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest !== undefined ? `@${r.digest}` : ''}`;
}

/** Loopback hosts speak plain HTTP, as container runtimes allow by default; so do listed insecure hosts. */
export function schemeFor(host: string, insecure: readonly string[]): 'http' | 'https' {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1') return 'http';
  return insecure.includes(host) || insecure.includes(name) ? 'http' : 'https';
}

export function insecureHostsOf(env: NodeJS.ProcessEnv): string[] {
  return (env.ROLLWRIGHT_INSECURE_REGISTRIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
