/**
 * Helm chart repositories: does a chart version still exist? An HTTP repository answers with its
 * `index.yaml` (`entries.<chart>[].version`), fetched with `If-None-Match` against a cached copy and its
 * ETag under the user's cache directory, so an unchanged index costs a 304. An OCI repository
 * (`oci://host/path`) stores each chart version as a tag of `<path>/<chart>`, with `+` (not allowed in
 * a tag) written as `_`, which is how Helm pushes and pulls them.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { parseSingleYaml } from '../core/yaml.js';
import { redactUrl, request } from './http.js';
import type { RegistryClient } from './oci.js';
import { parseOciReference } from './reference.js';
import { isOffline, offlineAnswer, type LiveAnswer, type LiveOptions } from './types.js';

export interface ChartRef {
  /** `https://charts.example/stable` or `oci://ghcr.io/acme/charts`. */
  repo: string;
  chart: string;
  /** An exact version, or a semver range (Flux `spec.chart.spec.version` may be one). */
  version: string;
}

export function cacheDirOf(opts: LiveOptions): string {
  if (opts.cacheDir) return opts.cacheDir;
  const env = opts.env ?? process.env;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'rollwright');
}

interface Index {
  versions: Map<string, string[]>;
  /** How the index was had: `fetched`, `not modified` (304 against the cache). */
  how: string;
}

export class HelmRepoClient {
  private readonly indexes = new Map<string, Promise<{ ok: true; index: Index } | { ok: false; answer: LiveAnswer }>>();

  constructor(
    private readonly opts: LiveOptions,
    private readonly oci: RegistryClient,
  ) {}

  async checkChart(c: ChartRef): Promise<LiveAnswer> {
    if (isOffline(this.opts)) return offlineAnswer();
    if (/^oci:\/\//i.test(c.repo)) return this.checkOciChart(c);
    if (!/^https?:\/\//i.test(c.repo))
      return { status: 'unknown', reason: `${c.repo} is not a chart repository URL (https:// or oci://)` };
    const got = await this.index(c.repo);
    if (!got.ok) return got.answer;
    const url = indexUrl(c.repo);
    const versions = got.index.versions.get(c.chart);
    if (!versions)
      return { status: 'missing', reason: `${redactUrl(url)} has no chart ${c.chart}`, url: redactUrl(url) };
    if (versions.includes(c.version))
      return {
        status: 'present',
        reason: `${c.chart} ${c.version} is in ${redactUrl(url)} (index ${got.index.how})`,
        url: redactUrl(url),
      };
    const range = semver.validRange(c.version, { loose: true });
    if (range && !semver.valid(c.version, { loose: true })) {
      const best = semver.maxSatisfying(
        versions.filter((v) => semver.valid(v, { loose: true })),
        range,
        { loose: true },
      );
      return best
        ? {
            status: 'present',
            reason: `${c.chart} ${c.version} is a range; ${best} satisfies it in ${redactUrl(url)} (a range is not a fixed rollback target)`,
            url: redactUrl(url),
          }
        : {
            status: 'missing',
            reason: `no version of ${c.chart} in ${redactUrl(url)} satisfies ${c.version}`,
            url: redactUrl(url),
          };
    }
    return {
      status: 'missing',
      reason: `${c.chart} ${c.version} is no longer in ${redactUrl(url)} (the index lists ${versions.length} other version(s))`,
      url: redactUrl(url),
    };
  }

  private async checkOciChart(c: ChartRef): Promise<LiveAnswer> {
    const base = c.repo.replace(/^oci:\/\//i, '').replace(/\/+$/, '');
    const repo = base.endsWith(`/${c.chart}`) ? base : `${base}/${c.chart}`;
    if (!semver.valid(c.version, { loose: true }) && semver.validRange(c.version, { loose: true })) {
      // A range: the chart versions are the repository's tags (`_` standing for `+`).
      const parsedRepo = parseOciReference(repo);
      if (!parsedRepo.ok) return { status: 'unknown', reason: `oci://${repo}: ${parsedRepo.reason}` };
      const tags = await this.oci.tags(parsedRepo.ref);
      if (!tags.ok) return tags.answer;
      const versions = tags.value.map((t) => t.replace(/_/g, '+')).filter((v) => semver.valid(v, { loose: true }));
      const best = semver.maxSatisfying(versions, c.version, { loose: true });
      return best
        ? {
            status: 'present',
            reason: `chart ${c.chart} ${c.version} is a range; ${best} satisfies it in oci://${repo} (a range is not a fixed rollback target)`,
          }
        : { status: 'missing', reason: `no tag of oci://${repo} satisfies ${c.version}` };
    }
    const tag = c.version.replace(/\+/g, '_');
    const parsed = parseOciReference(`${repo}:${tag}`);
    if (!parsed.ok) return { status: 'unknown', reason: `oci://${repo} version ${c.version}: ${parsed.reason}` };
    const a = await this.oci.checkReference(parsed.ref, { signatures: false });
    if (a.status === 'missing')
      return { ...a, reason: `chart ${c.chart} ${c.version} is not in oci://${repo} (no tag ${tag})` };
    if (a.status === 'present')
      return { ...a, reason: `chart ${c.chart} ${c.version} is in oci://${repo} (${a.digest})` };
    return a;
  }

  private index(repo: string) {
    const key = repo.replace(/\/+$/, '');
    let p = this.indexes.get(key);
    if (!p) {
      p = this.fetchIndex(key);
      this.indexes.set(key, p);
    }
    return p;
  }

  private async fetchIndex(repo: string): Promise<{ ok: true; index: Index } | { ok: false; answer: LiveAnswer }> {
    const url = indexUrl(repo);
    const shown = redactUrl(url);
    const dir = join(cacheDirOf(this.opts), 'helm');
    const name = createHash('sha256').update(url).digest('hex').slice(0, 32);
    const cachedFile = join(dir, `${name}.yaml`);
    const metaFile = join(dir, `${name}.json`);
    let cached: { text: string; etag: string } | undefined;
    try {
      const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { etag?: unknown; url?: unknown };
      if (typeof meta.etag === 'string' && meta.url === shown)
        cached = { text: await readFile(cachedFile, 'utf8'), etag: meta.etag };
    } catch {
      cached = undefined;
    }
    const u = new URL(url);
    const headers: Record<string, string> = { Accept: 'application/x-yaml, text/yaml, */*' };
    if (u.username || u.password) {
      headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    if (cached) headers['If-None-Match'] = cached.etag;
    const r = await request(u.toString(), { method: 'GET', headers, maxBytes: 256 * 1024 * 1024 }, this.opts);
    if (!r.ok) return { ok: false, answer: { status: r.failure, reason: r.reason, url: shown } };
    const st = r.res.status;
    let text: string;
    let how: string;
    if (st === 304 && cached) {
      text = cached.text;
      how = 'not modified since cached';
    } else if (st === 200) {
      text = r.res.body.toString('utf8');
      how = 'fetched';
      const etag = r.res.headers.get('etag');
      if (etag) {
        try {
          await mkdir(dir, { recursive: true });
          await writeFile(`${cachedFile}.tmp`, text);
          await rename(`${cachedFile}.tmp`, cachedFile);
          await writeFile(metaFile, JSON.stringify({ url: shown, etag }));
        } catch {
          /* an unwritable cache costs a download next time, nothing more */
        }
      }
    } else if (st === 401 || st === 403)
      return {
        ok: false,
        answer: {
          status: 'unauthorised',
          reason: `${shown}: HTTP ${st} (credentials in the repository URL, or none)`,
          url: shown,
        },
      };
    else if (st === 404)
      return {
        ok: false,
        answer: {
          status: 'missing',
          reason: `${shown}: no index.yaml (HTTP 404): the repository is gone or moved`,
          url: shown,
        },
      };
    else return { ok: false, answer: { status: 'unreachable', reason: `${shown}: unexpected HTTP ${st}`, url: shown } };
    const { value, error } = parseSingleYaml(text);
    if (error || !value || typeof value !== 'object')
      return {
        ok: false,
        answer: {
          status: 'unknown',
          reason: `${shown} is not a Helm repository index${error ? ` (line ${error.line}: ${error.reason})` : ''}`,
          url: shown,
        },
      };
    const entries = (value as { entries?: unknown }).entries;
    const versions = new Map<string, string[]>();
    if (entries && typeof entries === 'object')
      for (const [chart, list] of Object.entries(entries as Record<string, unknown>))
        if (Array.isArray(list))
          versions.set(
            chart,
            list.flatMap((e: unknown) =>
              e && typeof e === 'object' && (e as { version?: unknown }).version !== undefined
                ? [String((e as { version: unknown }).version)]
                : [],
            ),
          );
    return { ok: true, index: { versions, how } };
  }
}

function indexUrl(repo: string): string {
  return `${repo.replace(/\/+$/, '')}/index.yaml`;
}
