import type { KubeObject } from '../../kube/model.js';
import { get, isObject, type JsonObject } from '../../kube/model.js';

/**
 * How Argo CD reads its objects: the surface's rules and the incident decision (which Application or
 * ApplicationSet reconciles a path, how its automated sync is set) share these readers.
 */

export const ARGO_GROUP = 'argoproj.io';
/** The namespace of an Application that names none: Argo CD's control-plane namespace by default. */
export const ARGO_NAMESPACE = 'argocd';
export const ARGO_KINDS = ['Application', 'ApplicationSet', 'AppProject'] as const;

export function isArgo(o: Pick<KubeObject, 'group' | 'kind'>): boolean {
  return o.group === ARGO_GROUP && (ARGO_KINDS as readonly string[]).includes(o.kind);
}

/** Where the Application spec lives: the object itself, or an ApplicationSet's template. */
export function appSpecPath(o: Pick<KubeObject, 'kind'>): Array<string | number> | undefined {
  if (o.kind === 'Application') return ['spec'];
  if (o.kind === 'ApplicationSet') return ['spec', 'template', 'spec'];
  return undefined;
}

export interface AutoSync {
  automated: boolean;
  selfHeal: boolean;
  prune: boolean;
}

/**
 * The automated sync policy as Argo CD reads it: `automated` present turns it on unless
 * `automated.enabled: false` (Argo CD 3.x; null counts as enabled).
 */
export function autoSync(o: Pick<KubeObject, 'kind' | 'body'>): AutoSync {
  const p = appSpecPath(o);
  const a = p ? get(o.body, [...p, 'syncPolicy', 'automated']) : undefined;
  const on = a !== undefined && a !== null && (!isObject(a) || a.enabled !== false);
  return {
    automated: on,
    selfHeal: on && isObject(a) && a.selfHeal === true,
    prune: on && isObject(a) && a.prune === true,
  };
}

export interface SourceRef {
  path: Array<string | number>;
  source: JsonObject;
}

/** `spec.source` and every `spec.sources[]` of an Application (or an ApplicationSet template). */
export function sourcesOf(o: Pick<KubeObject, 'kind' | 'body'>): SourceRef[] {
  const p = appSpecPath(o);
  if (!p) return [];
  const out: SourceRef[] = [];
  const single = get(o.body, [...p, 'source']);
  if (isObject(single)) out.push({ path: [...p, 'source'], source: single });
  const many = get(o.body, [...p, 'sources']);
  if (Array.isArray(many))
    many.forEach((s, i) => {
      if (isObject(s)) out.push({ path: [...p, 'sources', i], source: s });
    });
  return out;
}

/** A short name for a source in messages: its repository and path or chart. */
export function describeSource(s: JsonObject): string {
  const repo = typeof s.repoURL === 'string' ? s.repoURL : '(no repoURL)';
  if (typeof s.chart === 'string') return `${repo} chart ${s.chart}`;
  return typeof s.path === 'string' ? `${repo}//${s.path}` : repo;
}

/** The sync policy of an Application (or an ApplicationSet's template) as written; undefined when it has none. */
export function syncPolicyOf(o: Pick<KubeObject, 'kind' | 'body'>): JsonObject | undefined {
  const p = appSpecPath(o);
  const sp = p ? get(o.body, [...p, 'syncPolicy']) : undefined;
  return isObject(sp) ? sp : undefined;
}

/**
 * An ApplicationSet's `spec.ignoreApplicationDifferences` (the fields of its Applications it leaves
 * alone, Argo CD 2.9+); undefined when it has none.
 */
export function ignoreApplicationDifferences(o: Pick<KubeObject, 'kind' | 'body'>): unknown[] | undefined {
  if (o.kind !== 'ApplicationSet') return undefined;
  const v = get(o.body, ['spec', 'ignoreApplicationDifferences']);
  return Array.isArray(v) ? v : undefined;
}
