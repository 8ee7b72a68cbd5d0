/**
 * What a live check answers. One status per failure mode, so a caller never has to read a sentence
 * to know what happened: `present` and `missing` are answers about the artifact; the others say why
 * there is no answer, and a rollback decision must treat them as "not known", never as "present".
 */
export const LIVE_STATUSES = ['present', 'missing', 'unauthorised', 'unreachable', 'rate-limited', 'unknown'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** One signature (or other referrer) attached to a manifest. */
export interface SignatureReport {
  /** `present`: at least one signature found; `absent`: looked and found none; else why it is not known. */
  status: 'present' | 'absent' | LiveFailure;
  /** How it was looked up: the OCI referrers API, the referrers tag schema (`sha256-<hex>`), cosign's tag (`sha256-<hex>.sig`). */
  via: 'referrers-api' | 'referrers-tag' | 'cosign-tag' | null;
  /** The artifact types (or media types) of the signatures found, sorted, deduplicated. */
  types: string[];
  /** Digests of the signature manifests found. */
  digests: string[];
  reason: string;
}

export type LiveFailure = Exclude<LiveStatus, 'present' | 'missing'>;

/** The answer of one live check. */
export interface LiveAnswer {
  status: LiveStatus;
  /** One sentence: what was found, or why nothing could be found. `offline` in offline mode. */
  reason: string;
  /** Where the answer came from (`https://ghcr.io/v2/acme/web/manifests/sha256:...`), without credentials. */
  url?: string;
  /** For OCI content: the digest the registry serves for the reference. */
  digest?: string;
  /** For OCI content: the manifest's media type as served. */
  mediaType?: string;
  /** For an image named by tag and digest: the digest the tag resolves to now, when it differs. */
  tagDigest?: string;
  /** For OCI content, when asked: its signatures. */
  signature?: SignatureReport;
}

export interface LiveOptions {
  /** Every answer is `unknown` with the reason "offline", and nothing is contacted. */
  offline?: boolean;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network errors (default 3). */
  retries?: number;
  /** First backoff delay (default 250 ms), doubled per retry, capped by `maxDelayMs`. */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included (default 10 s). */
  maxDelayMs?: number;
  /** Environment (default process.env): DOCKER_CONFIG, HOME, XDG_CACHE_HOME, ROLLWRIGHT_* settings. */
  env?: NodeJS.ProcessEnv;
  /** Where the Helm index cache lives (default `$XDG_CACHE_HOME/rollwright` or `~/.cache/rollwright`). */
  cacheDir?: string;
  /** Hosts reached over plain HTTP (loopback hosts always are). Default: ROLLWRIGHT_INSECURE_REGISTRIES. */
  insecureHosts?: readonly string[];
  /** Look up signatures of OCI manifests (default true). */
  signatures?: boolean;
  /** Checks run at once (default 8). */
  concurrency?: number;
}

/** `--offline` or `ROLLWRIGHT_OFFLINE=1` (also `true`, `yes`). */
export function isOffline(opts: Pick<LiveOptions, 'offline' | 'env'> = {}): boolean {
  if (opts.offline) return true;
  const v = (opts.env ?? process.env).ROLLWRIGHT_OFFLINE;
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

export const OFFLINE: LiveAnswer = { status: 'unknown', reason: 'offline' };

export function offlineAnswer(): LiveAnswer {
  return { ...OFFLINE };
}
