/**
 * An OCI registry client (Distribution API v2 / OCI distribution-spec): does a manifest or an index
 * exist by digest, what digest does a tag name now, which signatures does a manifest have. Read-only:
 * HEAD and GET only, with the `pull` scope.
 *
 * Authentication follows the registry's challenge: a `401` with `WWW-Authenticate: Basic` is answered
 * with the docker config's credential; `WWW-Authenticate: Bearer realm=...,service=...,scope=...` with
 * a token fetched from the realm (anonymously, with Basic credentials, or by an identity token's
 * refresh grant), then the request again with `Authorization: Bearer <token>`.
 */
import { createHash } from 'node:crypto';
import { credentialFor, readDockerConfig, type Credential, type DockerConfig } from './credentials.js';
import { redactUrl, request, type HttpResponse, type HttpResult } from './http.js';
import { insecureHostsOf, schemeFor, type OciReference } from './reference.js';
import type { LiveAnswer, LiveOptions, SignatureReport } from './types.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Every manifest and index type: a registry answers 404 for a stored type the client does not accept. */
export const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

/** Artifact types of signatures: cosign (OCI 1.1 referrer), Sigstore bundles, Notary Project. */
export const SIGNATURE_TYPES = [
  'application/vnd.dev.cosign.artifact.sig.v1+json',
  'application/vnd.dev.cosign.simplesigning.v1+json',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.cncf.notary.signature',
];

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `WWW-Authenticate` (RFC 7235 auth-params; quoted values may hold commas, as scopes do). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!))
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

type Auth = { header: string; expires: number } | undefined;

interface ManifestHead {
  status: number;
  digest?: string;
  mediaType?: string;
  body?: Buffer;
  url: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; answer: LiveAnswer };

export class RegistryClient {
  private config: Promise<DockerConfig> | undefined;
  private readonly creds = new Map<string, Promise<Credential | undefined>>();
  /** Authorization per host and repository, once a challenge was answered. */
  private readonly auth = new Map<string, Auth>();
  private readonly insecure: readonly string[];

  constructor(private readonly opts: LiveOptions = {}) {
    this.insecure = opts.insecureHosts ?? insecureHostsOf(opts.env ?? process.env);
  }

  private base(host: string): string {
    return `${schemeFor(host, this.insecure)}://${host}`;
  }

  private credential(host: string): Promise<Credential | undefined> {
    let c = this.creds.get(host);
    if (!c) {
      this.config ??= readDockerConfig(this.opts.env ?? process.env);
      c = this.config.then((cfg) =>
        credentialFor(host, cfg, {
          ...(this.opts.timeoutMs !== undefined ? { timeoutMs: this.opts.timeoutMs } : {}),
          ...(this.opts.env ? { env: this.opts.env } : {}),
        }),
      );
      this.creds.set(host, c);
    }
    return c;
  }

  /** A request to the registry API for one repository, answering its auth challenge once. */
  async get(
    host: string,
    repository: string,
    path: string,
    init: { method: 'GET' | 'HEAD'; accept?: string },
  ): Promise<Outcome<HttpResponse>> {
    const url = `${this.base(host)}/v2/${repository}/${path}`;
    const key = `${host}/${repository}`;
    const headers = (auth: Auth): Record<string, string> => ({
      ...(init.accept ? { Accept: init.accept } : {}),
      ...(auth ? { Authorization: auth.header } : {}),
    });
    let auth = this.auth.get(key);
    if (auth && auth.expires < Date.now()) auth = undefined;
    let r = await request(url, { method: init.method, headers: headers(auth) }, this.opts);
    if (!r.ok) return { ok: false, answer: failure(r, url) };
    if (r.res.status === 401) {
      const got = await this.answerChallenge(host, repository, r.res);
      if (!got.ok) return got;
      auth = got.value;
      this.auth.set(key, auth);
      r = await request(url, { method: init.method, headers: headers(auth) }, this.opts);
      if (!r.ok) return { ok: false, answer: failure(r, url) };
    }
    if (r.res.status === 401 || r.res.status === 403)
      return {
        ok: false,
        answer: {
          status: 'unauthorised',
          reason: `${host} refused access to ${repository} (HTTP ${r.res.status}${errorCode(r.res)}): the credentials lack pull access, or the repository does not exist (registries answer both alike)`,
          url: redactUrl(url),
        },
      };
    return { ok: true, value: r.res };
  }

  private async answerChallenge(host: string, repository: string, res: HttpResponse): Promise<Outcome<Auth>> {
    const ch = parseChallenge(res.headers.get('www-authenticate'));
    const cred = await this.credential(host);
    const denied = (why: string): Outcome<Auth> => ({
      ok: false,
      answer: { status: 'unauthorised', reason: `${host}: ${why}`, url: redactUrl(res.url) },
    });
    if (!ch) return denied('HTTP 401 without a WWW-Authenticate challenge');
    if (ch.scheme === 'basic') {
      if (!cred || cred.identityToken)
        return denied(
          `authentication required (Basic realm ${JSON.stringify(ch.params.realm ?? '')}) and no credential for ${host} in the docker config`,
        );
      return { ok: true, value: { header: basic(cred), expires: Infinity } };
    }
    if (ch.scheme !== 'bearer' || !ch.params.realm)
      return denied(`unsupported authentication scheme ${JSON.stringify(ch.scheme)}`);
    let realm: URL;
    try {
      realm = new URL(ch.params.realm);
    } catch {
      return denied(`the token realm ${JSON.stringify(ch.params.realm)} is not a URL`);
    }
    const scope = ch.params.scope ?? `repository:${repository}:pull`;
    let r: HttpResult;
    if (cred?.identityToken) {
      // OAuth2 refresh-token grant (the docker CLI's identity token).
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cred.identityToken,
        service: ch.params.service ?? '',
        scope,
        client_id: 'rollwright',
      });
      r = await request(
        realm.toString(),
        { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() },
        this.opts,
      );
    } else {
      if (ch.params.service) realm.searchParams.set('service', ch.params.service);
      realm.searchParams.set('scope', scope);
      r = await request(
        realm.toString(),
        { method: 'GET', headers: cred ? { Authorization: basic(cred) } : {} },
        this.opts,
      );
    }
    if (!r.ok) return { ok: false, answer: failure(r, realm.toString()) };
    if (r.res.status === 401 || r.res.status === 403)
      return denied(
        `the token service ${realm.origin} refused ${cred ? `the credential from ${cred.from}` : 'an anonymous token'} (HTTP ${r.res.status})`,
      );
    if (r.res.status !== 200) return denied(`the token service ${realm.origin} answered HTTP ${r.res.status}`);
    let token: string | undefined;
    let expiresIn = 60;
    try {
      const v = JSON.parse(r.res.body.toString('utf8')) as {
        token?: unknown;
        access_token?: unknown;
        expires_in?: unknown;
      };
      token =
        typeof v.token === 'string' && v.token
          ? v.token
          : typeof v.access_token === 'string'
            ? v.access_token
            : undefined;
      if (typeof v.expires_in === 'number' && v.expires_in > 0) expiresIn = v.expires_in;
    } catch {
      token = undefined;
    }
    if (!token) return denied(`the token service ${realm.origin} answered without a token`);
    return { ok: true, value: { header: `Bearer ${token}`, expires: Date.now() + Math.max(1, expiresIn - 5) * 1000 } };
  }

  /**
   * HEAD of a manifest by tag or digest, with every manifest type accepted. A HEAD is enough and is
   * what registries meter least (Docker Hub counts manifest GETs as pulls, not HEADs): the manifest is
   * read (GET) only when the registry sends no `Docker-Content-Digest`, and then hashed.
   */
  async headManifest(
    ref: Pick<OciReference, 'apiHost' | 'repository'>,
    reference: string,
  ): Promise<Outcome<ManifestHead>> {
    const r = await this.get(ref.apiHost, ref.repository, `manifests/${reference}`, {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
    });
    if (!r.ok) return r;
    const url = redactUrl(r.value.url);
    if (r.value.status !== 200) return { ok: true, value: { status: r.value.status, url } };
    const digest = r.value.headers.get('docker-content-digest') ?? undefined;
    const mediaType = r.value.headers.get('content-type')?.split(';')[0]?.trim();
    if (digest) return { ok: true, value: { status: 200, digest, ...(mediaType ? { mediaType } : {}), url } };
    const g = await this.get(ref.apiHost, ref.repository, `manifests/${reference}`, {
      method: 'GET',
      accept: MANIFEST_ACCEPT,
    });
    if (!g.ok) return g;
    if (g.value.status !== 200) return { ok: true, value: { status: g.value.status, url } };
    const algorithm = reference.includes(':') ? reference.slice(0, reference.indexOf(':')) : 'sha256';
    const hashed = hashDigest(algorithm, g.value.body);
    const type = g.value.headers.get('content-type')?.split(';')[0]?.trim() ?? mediaType;
    return {
      ok: true,
      value: {
        status: 200,
        ...(hashed ? { digest: hashed } : {}),
        ...(type ? { mediaType: type } : {}),
        body: g.value.body,
        url,
      },
    };
  }

  /**
   * An image or OCI artifact: by digest (and, with a tag too, whether the tag still names it), or by
   * tag. With `signatures`, also its signatures.
   */
  async checkReference(ref: OciReference, opts: { signatures?: boolean } = {}): Promise<LiveAnswer> {
    const name = `${ref.registry}/${ref.repository}`;
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const h = await this.headManifest(ref, reference);
    if (!h.ok) return h.answer;
    const m = h.value;
    if (m.status === 404)
      return {
        status: 'missing',
        reason: ref.digest
          ? `${name}@${ref.digest} is not in the registry (manifest unknown: deleted, or garbage-collected)`
          : `${name}:${reference} does not resolve (no such tag)`,
        url: m.url,
      };
    if (m.status !== 200) return { status: 'unreachable', reason: `${m.url}: unexpected HTTP ${m.status}`, url: m.url };
    if (ref.digest && m.digest && !sameDigest(m.digest, ref.digest))
      return {
        status: 'unknown',
        reason: `${name}@${ref.digest}: the registry served content whose digest is ${m.digest}; it does not verify`,
        url: m.url,
        digest: m.digest,
      };
    const answer: LiveAnswer = {
      status: 'present',
      reason: ref.digest ? `${name}@${ref.digest} exists` : `${name}:${reference} resolves to ${m.digest}`,
      url: m.url,
      ...(m.digest ? { digest: ref.digest ?? m.digest } : {}),
      ...(m.mediaType ? { mediaType: m.mediaType } : {}),
    };
    if (ref.digest && ref.tag !== undefined) {
      const t = await this.headManifest(ref, ref.tag);
      if (t.ok && t.value.status === 200 && t.value.digest && !sameDigest(t.value.digest, ref.digest)) {
        answer.tagDigest = t.value.digest;
        answer.reason += `; the tag ${ref.tag} now names ${t.value.digest}`;
      } else if (t.ok && t.value.status === 404)
        answer.reason += `; the tag ${ref.tag} no longer exists (the digest is what runs)`;
    }
    if (opts.signatures !== false && answer.digest) answer.signature = await this.signatures(ref, answer.digest);
    return answer;
  }

  /** Every tag of a repository (`GET /v2/<name>/tags/list`, following `Link: <...>; rel="next"` pages). */
  async tags(ref: Pick<OciReference, 'apiHost' | 'repository'>): Promise<Outcome<string[]>> {
    const out: string[] = [];
    let path = 'tags/list?n=1000';
    for (let page = 0; page < 50; page++) {
      const r = await this.get(ref.apiHost, ref.repository, path, { method: 'GET', accept: 'application/json' });
      if (!r.ok) return r;
      if (r.value.status === 404) return { ok: true, value: out };
      if (r.value.status !== 200)
        return {
          ok: false,
          answer: { status: 'unreachable', reason: `${redactUrl(r.value.url)}: unexpected HTTP ${r.value.status}` },
        };
      try {
        const v = JSON.parse(r.value.body.toString('utf8')) as { tags?: unknown };
        if (Array.isArray(v.tags)) for (const t of v.tags) if (typeof t === 'string') out.push(t);
      } catch {
        return {
          ok: false,
          answer: { status: 'unknown', reason: `${redactUrl(r.value.url)}: the tag list is not JSON` },
        };
      }
      const next = /<([^>]+)>;\s*rel="?next"?/.exec(r.value.headers.get('link') ?? '')?.[1];
      const rest = next ? /\/v2\/.+?\/(tags\/list\?.*)$/.exec(next)?.[1] : undefined;
      if (!rest) break;
      path = rest;
    }
    return { ok: true, value: out };
  }

  /**
   * Signatures of a manifest: the referrers API first; when it answers 404 (a registry without it),
   * the referrers tag schema (`<alg>-<hex>`), then cosign's signature tag (`<alg>-<hex>.sig`).
   */
  async signatures(ref: OciReference, digest: string): Promise<SignatureReport> {
    const fail = (a: LiveAnswer): SignatureReport => ({
      status: a.status === 'present' || a.status === 'missing' ? 'unknown' : a.status,
      via: null,
      types: [],
      digests: [],
      reason: a.reason,
    });
    const r = await this.get(ref.apiHost, ref.repository, `referrers/${digest}`, {
      method: 'GET',
      accept: MEDIA.ociIndex,
    });
    if (!r.ok) return fail(r.answer);
    if (r.value.status === 200) {
      const idx = readIndex(r.value.body);
      if (idx) return fromReferrers(idx, 'referrers-api', 'the referrers API');
    }
    if (r.value.status !== 200 && r.value.status !== 404)
      return fail({ status: 'unknown', reason: `referrers API: unexpected HTTP ${r.value.status}` });
    const tagBase = digest.replace(':', '-');
    // HEAD before GET: a registry that meters manifest GETs is asked for bytes only when they exist.
    const th = await this.get(ref.apiHost, ref.repository, `manifests/${tagBase}`, {
      method: 'HEAD',
      accept: MEDIA.ociIndex,
    });
    if (!th.ok) return fail(th.answer);
    const t =
      th.value.status === 200
        ? await this.get(ref.apiHost, ref.repository, `manifests/${tagBase}`, { method: 'GET', accept: MEDIA.ociIndex })
        : th;
    if (!t.ok) return fail(t.answer);
    if (t.value.status === 200) {
      const idx = readIndex(t.value.body);
      if (idx) {
        const rep = fromReferrers(idx, 'referrers-tag', `the referrers tag ${tagBase}`);
        if (rep.status === 'present') return rep;
      }
    }
    const sh = await this.get(ref.apiHost, ref.repository, `manifests/${tagBase}.sig`, {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
    });
    if (!sh.ok) return fail(sh.answer);
    const s =
      sh.value.status === 200
        ? await this.get(ref.apiHost, ref.repository, `manifests/${tagBase}.sig`, {
            method: 'GET',
            accept: MANIFEST_ACCEPT,
          })
        : sh;
    if (!s.ok) return fail(s.answer);
    if (s.value.status === 200) {
      const types = new Set<string>();
      try {
        const v = JSON.parse(s.value.body.toString('utf8')) as { layers?: Array<{ mediaType?: unknown }> };
        for (const l of v.layers ?? []) if (typeof l.mediaType === 'string') types.add(l.mediaType);
      } catch {
        /* a .sig tag that is not JSON still exists */
      }
      return {
        status: 'present',
        via: 'cosign-tag',
        types: [...types].sort(),
        digests: [`sha256:${createHash('sha256').update(s.value.body).digest('hex')}`],
        reason: `cosign signature tag ${tagBase}.sig (the registry has no referrers API)`,
      };
    }
    return {
      status: 'absent',
      via: null,
      types: [],
      digests: [],
      reason: `no signature: the referrers API ${r.value.status === 404 ? 'is not served (404)' : 'lists none'}, no referrers tag ${tagBase}, no cosign tag ${tagBase}.sig`,
    };
  }
}

interface IndexEntry {
  digest: string;
  artifactType?: string;
  mediaType?: string;
}

function readIndex(body: Buffer): IndexEntry[] | undefined {
  try {
    const v = JSON.parse(body.toString('utf8')) as { manifests?: unknown };
    if (!Array.isArray(v.manifests)) return undefined;
    return v.manifests.flatMap((m: Record<string, unknown>) =>
      m && typeof m.digest === 'string'
        ? [
            {
              digest: m.digest,
              ...(typeof m.artifactType === 'string' ? { artifactType: m.artifactType } : {}),
              ...(typeof m.mediaType === 'string' ? { mediaType: m.mediaType } : {}),
            },
          ]
        : [],
    );
  } catch {
    return undefined;
  }
}

function fromReferrers(idx: IndexEntry[], via: 'referrers-api' | 'referrers-tag', where: string): SignatureReport {
  const sigs = idx.filter((e) => e.artifactType !== undefined && isSignatureType(e.artifactType));
  const types = [...new Set(idx.map((e) => e.artifactType ?? e.mediaType ?? 'unknown'))].sort();
  if (sigs.length === 0)
    return {
      status: 'absent',
      via,
      types,
      digests: [],
      reason: `${where} lists ${idx.length} referrer(s), none a signature`,
    };
  return {
    status: 'present',
    via,
    types: [...new Set(sigs.map((e) => e.artifactType!))].sort(),
    digests: sigs.map((e) => e.digest).sort(),
    reason: `${sigs.length} signature(s) found by ${where}`,
  };
}

export function isSignatureType(t: string): boolean {
  const base = t.split(';')[0]!.trim();
  return SIGNATURE_TYPES.some((s) => s.split(';')[0] === base) || /signature/i.test(base);
}

/** `<alg>:<hex>` of the bytes for sha256 and sha512 (the algorithms OCI registers), else undefined. */
function hashDigest(algorithm: string, body: Buffer): string | undefined {
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return undefined;
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

function sameDigest(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function basic(c: Credential): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

function errorCode(res: HttpResponse): string {
  try {
    const v = JSON.parse(res.body.toString('utf8')) as { errors?: Array<{ code?: string }> };
    const code = v.errors?.[0]?.code;
    return code ? `, ${code}` : '';
  } catch {
    return '';
  }
}

function failure(r: Extract<HttpResult, { ok: false }>, url: string): LiveAnswer {
  return { status: r.failure, reason: r.reason, url: redactUrl(url) };
}
