/**
 * A rollback target as collected: its kinds and shapes, and the constructors that decide how each
 * kind of reference is checked live (or why it cannot be).
 */
import type { ChangedFile, RepoReader } from '../../core/change.js';
import type { Finding } from '../../core/finding.js';
import {
  parseGitSource,
  parseOciReference,
  type LiveStatus,
  type LiveTarget,
  type SignatureReport,
} from '../../live/index.js';
import { isPlaceholder } from '../../kube/model.js';
import type { RollwrightConfig } from '../../core/config.js';

export type Side = 'base' | 'head';

export const TARGETS_SCHEMA = 'rollwright.targets/v1';

export type TargetKind = 'image' | 'chart' | 'git' | 'module';

/** One artifact a rollback would return to, where it is referenced, and how to check it live. */
export interface RollbackTarget {
  kind: TargetKind;
  /** The artifact as a person reads it: `ghcr.io/acme/web@sha256:...`, `chart web 1.3.2 (https://...)`. */
  target: string;
  /** What references it: `Deployment shop/web container web`, `HelmRelease flux-system/web`, `module.vpc`. */
  what: string;
  /** Where it is referenced on the side the rollback returns to. */
  file: string;
  line: number;
  /** What the other side references instead (the change's new value), when it references anything. */
  replacedBy: string | null;
  /** How it is checked; null when it cannot be (a template value, a local path), with `why`. */
  check: LiveTarget | null;
  why?: string;
}

export interface CheckedTarget extends RollbackTarget {
  status: LiveStatus;
  reason: string;
  /** `live` when a registry, repository or remote answered; `offline` when nothing was contacted. */
  source: 'live' | 'offline' | 'not-checked';
  digest?: string;
  tagDigest?: string;
  mediaType?: string;
  signature?: SignatureReport;
}

export interface CollectInput {
  files: readonly ChangedFile[];
  repo: RepoReader;
  config: RollwrightConfig;
  /** The assessment's findings: rendered image changes come from `kubernetes/image-changed`. */
  findings?: readonly Finding[];
}

export function imageTarget(
  ref: string,
  what: string,
  file: string,
  line: number,
  replacedBy: string | null,
): RollbackTarget {
  const base = { kind: 'image' as const, target: ref, what, file, line, replacedBy };
  if (isPlaceholder(ref))
    return { ...base, check: null, why: 'a template value: substituted later, not checked as written' };
  const p = parseOciReference(ref);
  if (!p.ok) return { ...base, check: null, why: p.reason };
  return { ...base, check: { kind: 'image', ref } };
}

export function chartTarget(
  repo: string,
  chart: string,
  version: string,
  what: string,
  file: string,
  line: number,
  replacedBy: string | null,
): RollbackTarget {
  const target = `chart ${chart} ${version}${repo ? ` (${repo})` : ''}`;
  const base = { kind: 'chart' as const, target, what, file, line, replacedBy };
  if (isPlaceholder(version) || isPlaceholder(repo))
    return { ...base, check: null, why: 'a template value: substituted later, not checked as written' };
  if (!repo)
    return {
      ...base,
      check: null,
      why: 'the chart repository is not known from the repository (its source object was not found)',
    };
  if (!/^(https?|oci):\/\//i.test(repo))
    return { ...base, check: null, why: `${repo} is not a remote chart repository (https:// or oci://)` };
  return { ...base, check: { kind: 'chart', repo, chart, version } };
}

export function gitTarget(
  raw: string,
  flavour: 'terraform' | 'kustomize',
  what: string,
  file: string,
  line: number,
  replacedBy: string | null,
): RollbackTarget {
  const src = parseGitSource(raw, flavour);
  const base = { kind: 'git' as const, target: raw.replace(/\/\/[^/@\s]*@/, '//'), what, file, line, replacedBy };
  if (!src) return { ...base, check: null, why: 'not a git source rollwright can read' };
  if (!src.ref)
    return { ...base, check: null, why: 'pins no ref: the default branch moves, so there is no fixed rollback target' };
  return { ...base, check: { kind: 'git', ...src } };
}

/** Where a line of a YAML text first mentions a string (1 when it does not). */
export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i < 0 ? 1 : text.slice(0, i).split('\n').length;
}

/** Parses one YAML document (the core reader, loaded with the rest of the collection). */
export type ParseYaml = (text: string) => { value: unknown };
