/**
 * Terraform/OpenTofu module registries (the module registry protocol): the host's service discovery
 * document (`https://<host>/.well-known/terraform.json`, key `modules.v1`) gives the API base, and
 * `<base><namespace>/<name>/<system>/versions` lists every version the registry still serves.
 */
import { redactUrl, request } from './http.js';
import { insecureHostsOf, schemeFor } from './reference.js';
import { isOffline, offlineAnswer, type LiveAnswer, type LiveOptions } from './types.js';

export interface RegistryModule {
  /** `registry.terraform.io` when the source names no host. */
  host: string;
  namespace: string;
  name: string;
  system: string;
  /** The `version` argument: an exact version is checked; a constraint is not a fixed target. */
  version: string;
}

/** `[host/]namespace/name/system[//subdir]`, or undefined. */
export function parseRegistrySource(source: string, version: string): RegistryModule | undefined {
  const m =
    /^(?:([a-z0-9][a-z0-9.-]*\.[a-z0-9-]+(?::\d+)?)\/)?([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9-]*)(?:\/\/.*)?$/i.exec(
      source.trim(),
    );
  if (!m) return undefined;
  return {
    host: (m[1] ?? 'registry.terraform.io').toLowerCase(),
    namespace: m[2]!,
    name: m[3]!,
    system: m[4]!,
    version: version.trim(),
  };
}

/**
 * The API token Terraform itself would send to a private registry: `TF_TOKEN_<host>`, the host's dots
 * written as `_` and its dashes as `__` (Terraform CLI "Environment Variable Credentials").
 */
export function registryToken(host: string, env: NodeJS.ProcessEnv): string | undefined {
  const name = `TF_TOKEN_${host.replace(/:\d+$/, '').replace(/-/g, '__').replace(/\./g, '_')}`;
  const v = env[name];
  return v && v.trim() ? v.trim() : undefined;
}

export class ModuleRegistryClient {
  private readonly bases = new Map<string, Promise<{ ok: true; base: string } | { ok: false; answer: LiveAnswer }>>();

  constructor(private readonly opts: LiveOptions) {}

  async checkModule(m: RegistryModule): Promise<LiveAnswer> {
    if (isOffline(this.opts)) return offlineAnswer();
    const exact = /^=?\s*v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(m.version)?.[1];
    const what = `${m.host}/${m.namespace}/${m.name}/${m.system}`;
    if (!exact)
      return {
        status: 'unknown',
        reason: `${what} version ${JSON.stringify(m.version)} is a constraint, not a fixed rollback target`,
      };
    const b = await this.base(m.host);
    if (!b.ok) return b.answer;
    const url = new URL(`${m.namespace}/${m.name}/${m.system}/versions`, b.base).toString();
    const token = registryToken(m.host, this.opts.env ?? process.env);
    const r = await request(
      url,
      {
        method: 'GET',
        headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      },
      this.opts,
    );
    if (!r.ok) return { status: r.failure, reason: r.reason, url: redactUrl(url) };
    if (r.res.status === 404)
      return { status: 'missing', reason: `${what} is not in the registry (HTTP 404)`, url: redactUrl(url) };
    if (r.res.status === 401 || r.res.status === 403)
      return {
        status: 'unauthorised',
        reason: `${what}: HTTP ${r.res.status} (a private registry needs a token: TF_TOKEN_<host>)`,
        url: redactUrl(url),
      };
    if (r.res.status !== 200)
      return {
        status: 'unreachable',
        reason: `${redactUrl(url)}: unexpected HTTP ${r.res.status}`,
        url: redactUrl(url),
      };
    let versions: string[] = [];
    try {
      const v = JSON.parse(r.res.body.toString('utf8')) as {
        modules?: Array<{ versions?: Array<{ version?: unknown }> }>;
      };
      versions = (v.modules ?? []).flatMap((x) => (x.versions ?? []).map((y) => String(y.version)));
    } catch {
      return {
        status: 'unknown',
        reason: `${redactUrl(url)} did not answer the module registry protocol's JSON`,
        url: redactUrl(url),
      };
    }
    return versions.includes(exact)
      ? { status: 'present', reason: `${what} ${exact} is served by the registry`, url: redactUrl(url) }
      : {
          status: 'missing',
          reason: `${what} ${exact} is no longer served by the registry (${versions.length} other version(s) are)`,
          url: redactUrl(url),
        };
  }

  private base(host: string) {
    let p = this.bases.get(host);
    if (!p) {
      p = (async () => {
        const scheme = schemeFor(host, this.opts.insecureHosts ?? insecureHostsOf(this.opts.env ?? process.env));
        const url = `${scheme}://${host}/.well-known/terraform.json`;
        const r = await request(url, { method: 'GET', headers: { Accept: 'application/json' } }, this.opts);
        if (!r.ok) return { ok: false as const, answer: { status: r.failure, reason: r.reason, url } };
        if (r.res.status !== 200)
          return {
            ok: false as const,
            answer: {
              status: 'unreachable' as const,
              reason: `${url}: HTTP ${r.res.status}: no service discovery document`,
              url,
            },
          };
        try {
          const v = JSON.parse(r.res.body.toString('utf8')) as Record<string, unknown>;
          const m = v['modules.v1'];
          if (typeof m !== 'string')
            return {
              ok: false as const,
              answer: { status: 'unknown' as const, reason: `${host} offers no module registry (no modules.v1)`, url },
            };
          return { ok: true as const, base: new URL(m.endsWith('/') ? m : `${m}/`, url).toString() };
        } catch {
          return { ok: false as const, answer: { status: 'unknown' as const, reason: `${url} is not JSON`, url } };
        }
      })();
      this.bases.set(host, p);
    }
    return p;
  }
}
