/**
 * Module sources (https://developer.hashicorp.com/terraform/language/modules/sources): what kind a
 * `source` string is, what pins it, and a redacted form for every output. A source URL may carry
 * credentials (`https://user:token@host/...`, `?sshkey=...`, a signed S3 URL); they never leave this
 * module: every message, finding datum and error shows `redactSource(...)`.
 */

export type SourceKind = 'local' | 'registry' | 'git' | 'hg' | 'http' | 's3' | 'gcs' | 'unknown';

export interface ModuleSource {
  kind: SourceKind;
  /** The source without credentials, for output. */
  display: string;
  /** The package address without ref, query and credentials: equal for two versions of the same module. */
  package: string;
  /** `?ref=` (git) or `?rev=` (hg). */
  ref?: string;
  /** Other pins: `?checksum=` (http, s3, gcs), `?version=` (s3 object version). */
  checksum?: string;
  objectVersion?: string;
  /** Registry hostname (`registry.terraform.io` when omitted). */
  host?: string;
}

import { redactUrl, redactUrls, stripCredentials } from '../../core/redact.js';

const REGISTRY =
  /^(?:([a-z0-9][a-z0-9.-]*\.[a-z0-9-]+(?::\d+)?)\/)?([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9-]*)(\/\/.*)?$/i;

export function parseModuleSource(raw: string): ModuleSource {
  const source = raw.trim();
  const display = redactSource(source);
  if (source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..')
    return { kind: 'local', display, package: source };
  let forced: string | undefined;
  let rest = source;
  const m = /^([a-z0-9]+)::(.*)$/i.exec(source);
  if (m) {
    forced = m[1]!.toLowerCase();
    rest = m[2]!;
  }
  const { base, params } = splitQuery(rest);
  const pkg = stripCredentials(base);
  const common = { display, package: `${forced ? `${forced}::` : ''}${pkg}` };
  if (
    forced === 'git' ||
    (!forced && /^(github\.com|bitbucket\.org)\//i.test(rest)) ||
    (!forced && /^[\w.-]+@[\w.-]+:/.test(rest))
  )
    return { kind: 'git', ...common, ...(params.get('ref') ? { ref: params.get('ref')! } : {}) };
  if (forced === 'hg') return { kind: 'hg', ...common, ...(params.get('rev') ? { ref: params.get('rev')! } : {}) };
  const pins = {
    ...(params.get('checksum') ? { checksum: params.get('checksum')! } : {}),
    ...(params.get('version') ? { objectVersion: params.get('version')! } : {}),
  };
  if (forced === 's3' || (!forced && /^[\w.-]+\.s3[\w.-]*\.amazonaws\.com\//i.test(rest)))
    return { kind: 's3', ...common, ...pins };
  if (forced === 'gcs' || (!forced && /^www\.googleapis\.com\/storage\//i.test(rest)))
    return { kind: 'gcs', ...common, ...pins };
  if (forced === 'http' || forced === 'https' || /^https?:\/\//i.test(rest)) {
    // A git repository named by an https URL ends in .git; plain https URLs are archives or redirects.
    if (/\.git(\/\/|$)/i.test(base))
      return { kind: 'git', ...common, ...(params.get('ref') ? { ref: params.get('ref')! } : {}) };
    return { kind: 'http', ...common, ...pins };
  }
  if (forced) return { kind: 'unknown', ...common };
  const r = REGISTRY.exec(source);
  if (r)
    return { kind: 'registry', display, package: source.replace(/\/\/.*$/, ''), host: r[1] ?? 'registry.terraform.io' };
  return { kind: 'unknown', ...common };
}

/**
 * A relative path written without `./` (`modules/vpc/`), read as the directory it names. Terraform 0.11
 * and earlier gave a source that is no registry address to go-getter, whose file detector joins a
 * relative path to the calling module's directory
 * (https://github.com/hashicorp/go-getter/blob/main/detect_file.go); Terraform 0.12 and later refuse it
 * and ask for the `./` prefix that marks a local path
 * (https://developer.hashicorp.com/terraform/language/modules/sources#local-paths).
 */
export function isBarePath(raw: string): boolean {
  const source = raw.trim();
  return (
    source !== '' &&
    !/[:?]/.test(source) &&
    !source.startsWith('/') &&
    !source.startsWith('~') &&
    parseModuleSource(source).kind === 'unknown'
  );
}

/** The source with userinfo and secret query values replaced by `***`. */
export const redactSource = redactUrl;

/** Redacts every URL-looking token of a free text (error messages, parser diagnostics). */
export const redactSecrets = redactUrls;

function splitQuery(s: string): { base: string; params: Map<string, string> } {
  const q = s.indexOf('?');
  const params = new Map<string, string>();
  if (q < 0) return { base: s, params };
  for (const p of s.slice(q + 1).split('&')) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    let v = p.slice(eq + 1);
    try {
      v = decodeURIComponent(v);
    } catch {
      /* keep it raw */
    }
    params.set(p.slice(0, eq).toLowerCase(), v);
  }
  return { base: s.slice(0, q), params };
}

/** A full or abbreviated commit id. */
export function isCommitId(ref: string): boolean {
  return /^[0-9a-f]{7,64}$/i.test(ref);
}

/** A version-like tag: `v1.2.3`, `1.2`, `v2.0.0-rc.1`. */
export function isVersionTag(ref: string): boolean {
  return /^v?\d+(\.\d+){0,2}([-+][0-9a-z.-]+)?$/i.test(ref);
}

/** Names that are branches by convention. */
export function isBranchName(ref: string): boolean {
  return (
    /^(main|master|develop|development|dev|trunk|head|default|stable|latest|release|staging|production|prod)$/i.test(
      ref,
    ) || /^(feature|feat|fix|hotfix|bugfix|release|users?)\//i.test(ref)
  );
}

/**
 * Whether a version constraint names exactly one version (`1.2.3`, `= 1.2.3`, `v1.2.3`), and that
 * version. Terraform's constraint syntax: https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */
export function exactVersion(constraint: string | undefined): string | undefined {
  if (constraint === undefined) return undefined;
  const m = /^\s*=?\s*v?(\d+\.\d+\.\d+(?:-[0-9a-z.-]+)?(?:\+[0-9a-z.-]+)?)\s*$/i.exec(constraint);
  return m ? m[1] : undefined;
}
