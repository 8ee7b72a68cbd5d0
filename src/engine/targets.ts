/**
 * Rollback targets: the artifacts a rollback would return to. For a change, they are what the base
 * side references and the head side no longer does (or references differently): the previous image of
 * a container, the previous chart version of a HelmRelease, a Chart.yaml dependency or an Argo CD
 * Helm source, the previous `?ref=` or registry version of a Terraform module, the previous ref of a
 * Kustomize remote base or a Flux source. For a revert they are the head side of the revert; for a
 * tree, everything it references.
 *
 * The files are read with the surfaces' own readers (the Kubernetes parse and container walk, Argo CD
 * sources, kustomize's reference lists, the Terraform HCL parser and module sources); images changed
 * in rendered output (Kustomize overlays, Helm charts) come from the assessment's
 * `kubernetes/image-changed` findings. Each target is then checked live (src/live).
 */
import type { ChangedFile } from '../core/change.js';
import {
  LiveChecker,
  type LiveAnswer,
  type LiveOptions,
  type LiveStatus,
  type SignatureReport,
} from '../live/index.js';
import { isYamlPath, templated } from '../kube/objects.js';
import { type KubeObject } from '../kube/model.js';
import { isKustomizationPath } from '../surfaces/kustomize/model.js';
import { environmentsOfPath } from '../core/config.js';
import { chartYamlTargets, kustomizationTargets, moduleTargets, valuesTargets } from './targets/files.js';
import { objectTargets, SourceIndex } from './targets/objects.js';
import {
  imageTarget,
  TARGETS_SCHEMA,
  type CheckedTarget,
  type CollectInput,
  type RollbackTarget,
  type Side,
} from './targets/target.js';

export {
  TARGETS_SCHEMA,
  type CheckedTarget,
  type CollectInput,
  type RollbackTarget,
  type Side,
  type TargetKind,
} from './targets/target.js';

// ---------------------------------------------------------------------------------------------
// Collection

/** The rollback targets that `side` holds and the other side does not hold the same way. */
export async function collectTargets(input: CollectInput, side: Side): Promise<RollbackTarget[]> {
  const out: RollbackTarget[] = [];
  const other: Side = side === 'base' ? 'head' : 'base';
  const text = (f: ChangedFile, s: Side) => (s === 'base' ? f.oldText : f.newText);
  const path = (f: ChangedFile, s: Side) => (s === 'base' ? (f.oldPath ?? f.path) : f.path);
  const { parseManifests } = await import('../kube/parse.js');
  const { parseSingleYaml } = await import('../core/yaml.js');
  const manifests = (f: ChangedFile, s: Side): KubeObject[] => {
    const t = text(f, s);
    const p = path(f, s);
    if (t === undefined || templated(p, t)) return [];
    return parseManifests(p, t, {
      defaultNamespace: input.config.kubernetes.defaultNamespace,
      scope: environmentsOfPath(input.config, p)[0] ?? '',
    }).objects;
  };
  const sourceIndex = new SourceIndex(input, side);
  for (const f of input.files) {
    const p = path(f, side);
    const here = text(f, side);
    if (here === undefined) continue;
    if (/\.(tf|tofu)$/.test(p)) {
      out.push(...(await moduleTargets(p, here, text(f, other))));
      continue;
    }
    if (!isYamlPath(p)) continue;
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (isKustomizationPath(p)) {
      out.push(...kustomizationTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    if (/^Chart\.ya?ml$/.test(name)) {
      out.push(...chartYamlTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    const objs = manifests(f, side);
    if (objs.length === 0) {
      if (/^values([.-][\w.-]+)?\.ya?ml$/.test(name))
        out.push(...valuesTargets(p, here, text(f, other), parseSingleYaml));
      continue;
    }
    const before = new Map(manifests(f, other).map((o) => [o.id, o]));
    for (const o of objs) out.push(...(await objectTargets(o, before.get(o.id), sourceIndex)));
  }
  // Images changed in rendered output (overlays, charts) that no file above showed.
  const seenImages = new Set(out.filter((t) => t.kind === 'image').map((t) => t.target));
  for (const f of input.findings ?? []) {
    if (f.rule !== 'kubernetes/image-changed' || !f.data) continue;
    const ref = String(side === 'base' ? f.data.from : f.data.to);
    if (!ref || ref === 'undefined' || seenImages.has(ref)) continue;
    seenImages.add(ref);
    out.push(
      imageTarget(
        ref,
        `${String(f.data.workload)} ${String(f.data.container)} (rendered)`,
        f.file,
        f.line,
        String(side === 'base' ? f.data.to : f.data.from),
      ),
    );
  }
  return dedupe(out);
}

function dedupe(list: RollbackTarget[]): RollbackTarget[] {
  const seen = new Set<string>();
  const out: RollbackTarget[] = [];
  for (const t of list) {
    const key = `${t.kind}\0${t.target}\0${t.file}\0${t.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.line - b.line || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------------------------
// Checking

/** Checks targets live (or offline); a target that cannot be checked says why. */
export async function checkTargets(
  targets: readonly RollbackTarget[],
  live: LiveOptions | LiveChecker,
): Promise<CheckedTarget[]> {
  const checker = live instanceof LiveChecker ? live : new LiveChecker(live);
  const checkable = targets.filter((t) => t.check !== null);
  const answers = await checker.checkAll(checkable.map((t) => t.check!));
  const byTarget = new Map(checkable.map((t, i) => [t, answers[i]!]));
  return targets.map((t) => {
    const a: LiveAnswer | undefined = byTarget.get(t);
    if (!a) return { ...t, status: 'unknown', reason: t.why ?? 'cannot be checked', source: 'not-checked' };
    return {
      ...t,
      status: a.status,
      reason: a.reason,
      source: checker.offline ? 'offline' : 'live',
      ...(a.digest !== undefined ? { digest: a.digest } : {}),
      ...(a.tagDigest !== undefined ? { tagDigest: a.tagDigest } : {}),
      ...(a.mediaType !== undefined ? { mediaType: a.mediaType } : {}),
      ...(a.signature !== undefined ? { signature: a.signature } : {}),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// A change, or a tree, end to end

export interface TargetReport {
  schema: typeof TARGETS_SCHEMA;
  /** `change`: what a rollback of base..head returns to; `tree`: everything the revision references. */
  mode: 'change' | 'tree';
  base: string | null;
  head: string;
  /** True when nothing was contacted (`--offline`, ROLLWRIGHT_OFFLINE=1): every status is unknown. */
  offline: boolean;
  targets: CheckedTarget[];
  counts: Record<LiveStatus, number>;
}

export function countStatuses(list: readonly { status: LiveStatus }[]): Record<LiveStatus, number> {
  const counts: Record<LiveStatus, number> = {
    present: 0,
    missing: 0,
    unauthorised: 0,
    unreachable: 0,
    'rate-limited': 0,
    unknown: 0,
  };
  for (const t of list) counts[t.status]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The decision's fact

/**
 * The answer to "does the previous artifact still exist and verify?" (the decision's fact
 * `artifact-available`) from a live check of the change's rollback targets, sourced `live`.
 *
 * `value` is `false` as soon as one target is missing (there is no plain rollback: roll forward, the
 * reason being "previous artifact missing"); `true` only when every checkable target is present; `null`
 * when the check gave no answer (offline, unreachable, unauthorised, rate-limited, nothing checkable),
 * in which case the decision keeps its assumption and lists it.
 */
export interface ArtifactFact {
  fact: 'artifact-available';
  value: boolean | null;
  source: 'live';
  /** One sentence for the rationale: what was found, naming the targets. */
  evidence: string;
  /** The refusal's reason when `value` is false. */
  refusal: string | null;
  /** The first previous image (for the fact `previous-artifact`), else the first target. */
  previousArtifact: string | null;
  missing: CheckedTarget[];
  /** Targets that could not be answered, with why (listed as assumptions by the decision). */
  unchecked: CheckedTarget[];
  /** Signatures of the previous images, as found. */
  signatures: Array<{ target: string } & Pick<SignatureReport, 'status' | 'via' | 'types'>>;
}

export function artifactFact(report: TargetReport): ArtifactFact {
  const t = report.targets;
  const missing = t.filter((x) => x.status === 'missing');
  const unchecked = t.filter((x) => x.status !== 'missing' && x.status !== 'present');
  const present = t.filter((x) => x.status === 'present');
  const signatures = present
    .filter((x) => x.signature)
    .map((x) => ({ target: x.target, status: x.signature!.status, via: x.signature!.via, types: x.signature!.types }));
  const first = t.find((x) => x.kind === 'image') ?? t[0];
  const sig = (x: CheckedTarget) =>
    x.signature
      ? x.signature.status === 'present'
        ? `, signed (${x.signature.types.join(', ') || 'signature'} via ${x.signature.via})`
        : `, ${x.signature.status === 'absent' ? 'unsigned' : `signature ${x.signature.status}`}`
      : '';
  let value: boolean | null;
  let evidence: string;
  if (missing.length > 0) {
    value = false;
    evidence = missing.map((x) => `${x.target} no longer exists (${x.reason})`).join('; ');
  } else if (present.length > 0 && unchecked.length === 0) {
    value = true;
    evidence = present.map((x) => `${x.target} exists${sig(x)}`).join('; ');
  } else {
    value = null;
    evidence =
      t.length === 0
        ? 'the change replaces no image, chart version or module ref that can be checked'
        : unchecked.map((x) => `${x.target}: ${x.status} (${x.reason})`).join('; ');
  }
  return {
    fact: 'artifact-available',
    value,
    source: 'live',
    evidence,
    refusal: value === false ? `previous artifact missing: ${missing.map((x) => x.target).join(', ')}` : null,
    previousArtifact: first ? first.target : null,
    missing,
    unchecked,
    signatures,
  };
}
