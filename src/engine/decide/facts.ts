import { UsageError } from '../../core/errors.js';
import type { FactValue } from './types.js';

/**
 * The facts an operator can state (`--fact name=value`) or is asked for at the prompt.
 * A fixed vocabulary: an unknown name or a value of the wrong type is a usage error.
 *
 * `assume` is the value taken when the fact matters, cannot be inferred and nobody answered: the
 * value that keeps the recovery safe (it never makes a rollback look safer than it may be). It is
 * listed under `assumptions`, and `--strict` refuses to decide on it.
 */
export interface FactSpec {
  name: string;
  type: 'boolean' | 'text';
  /** The question as the prompt asks it. */
  question: string;
  /** What each answer does to the decision (shown at the prompt). */
  ifYes: string;
  ifNo: string;
  assume: FactValue;
}

export const FACTS = [
  {
    name: 'loop-repeating-damage',
    type: 'boolean',
    question: 'Is a control loop (sync, reconciliation, apply queue, image automation) repeating the damage?',
    ifYes: 'pause the one Application, Kustomization, HelmRelease or workspace that reconciles the change, then decide',
    ifNo: 'no pause: the recovery goes through the normal GitOps path',
    assume: false,
  },
  {
    name: 'rollout-in-progress',
    type: 'boolean',
    question: 'Is a progressive rollout of the change still before full promotion?',
    ifYes: 'abort the rollout first: the stable version keeps serving',
    ifNo: 'the new version is fully promoted; abort is no longer a recovery',
    assume: false,
  },
  {
    name: 'flag-contains-impact',
    type: 'boolean',
    question: 'Does turning a feature flag off contain the impact?',
    ifYes: 'turn the flag off first (fully reversible), then decide about the code',
    ifNo: 'the flag does not help; decide about the code now',
    assume: false,
  },
  {
    name: 'state-drift',
    type: 'boolean',
    question: 'Is recorded IaC state known to be wrong (a partial apply, drift, a resource created outside it)?',
    ifYes: 'repair or import the state before any apply; never apply blindly',
    ifNo: 'the state can be planned against as it is',
    assume: true,
  },
  {
    name: 'data-changed',
    type: 'boolean',
    question: 'Did the change write, transform or delete data (rows, objects, volumes) since it deployed?',
    ifYes: 'be suspicious of rollback: rollforward, restore or compensate by class',
    ifNo: 'data does not stand in the way of a rollback',
    assume: true,
  },
  {
    name: 'reads-switched',
    type: 'boolean',
    question: 'Does the application already read from the new schema, column or path?',
    ifYes: 'rehearse the rollback before running it: the old code must read what the new code wrote',
    ifNo: 'the old read path is intact',
    assume: true,
  },
  {
    name: 'external-effects',
    type: 'boolean',
    question:
      'Did the change cause effects outside the system (notifications sent, billing events, calls to partners)?',
    ifYes: 'those effects cannot be rolled back: compensate them',
    ifNo: 'nothing outside the system needs compensating',
    assume: false,
  },
  {
    name: 'backup-available',
    type: 'boolean',
    question: 'Is there a verified backup or point-in-time recovery from before the change?',
    ifYes: 'restore is possible for destroyed data',
    ifNo: 'destroyed data is gone; rollforward and compensate',
    assume: false,
  },
  {
    name: 'artifact-available',
    type: 'boolean',
    question: 'Does the previous artifact (image digest, chart version, module version) still exist and verify?',
    ifYes: 'the previous artifact can run again',
    ifNo: 'there is no rollback: rollforward with a rebuilt artifact',
    assume: true,
  },
  {
    name: 'previous-artifact',
    type: 'text',
    question: 'Which artifact (image digest or package URL) ran before the change?',
    ifYes: 'the runbook checks that this artifact exists before reverting',
    ifNo: 'the runbook asks to find it first',
    assume: '',
  },
  {
    name: 'policy-denies-old',
    type: 'boolean',
    question: "Does today's admission policy deny the previous manifests?",
    ifYes: 'the rollback would be rejected: find out why before overriding; rollforward',
    ifNo: 'admission lets the previous state back in',
    assume: false,
  },
  {
    name: 'secret-compromised',
    type: 'boolean',
    question: 'Is a secret the change rotated (or the old one) suspected compromised?',
    ifYes: 'never roll back to the old secret: rotate forward',
    ifNo: 'the old secret may be used again inside its window',
    assume: false,
  },
  {
    name: 'old-secret-revoked',
    type: 'boolean',
    question: 'Has the old secret or credential been revoked at its provider?',
    ifYes: 'the old configuration cannot authenticate: rollforward',
    ifNo: 'the old secret is still valid',
    assume: false,
  },
  {
    name: 'old-iam-over-broad',
    type: 'boolean',
    question: 'Was the IAM policy before the change over-broad (the narrowing was a fix)?',
    ifYes: 'do not restore the over-broad policy: grant the one missing permission forward',
    ifNo: 'the previous policy may be restored by revert',
    assume: true,
  },
  {
    name: 'window-open',
    type: 'boolean',
    question:
      "Is the change's declared rollback window still open (the time since it deployed, the phases deployed since)?",
    ifYes: 'the window does not stand in the way of a rollback',
    ifNo: 'the window has closed (or is unknown): roll forward on top of the current state',
    assume: false,
  },
  {
    name: 'crds-compatible',
    type: 'boolean',
    question: "Do the previous controller's CRD versions still serve every stored object?",
    ifYes: 'the controller can be downgraded',
    ifNo: 'a downgrade strands stored objects: rollforward the controller',
    assume: false,
  },
  {
    name: 'gitops-path-available',
    type: 'boolean',
    question: 'Is the GitOps path available (pipeline identity, network, controller healthy)?',
    ifYes: 'recover through Git: the controller applies the fix',
    ifNo: 'break-glass: imperative action, logged, then a reconciliation commit at once',
    assume: true,
  },
] as const satisfies readonly FactSpec[];

export type FactName = (typeof FACTS)[number]['name'];

const BY_NAME = new Map<string, FactSpec>(FACTS.map((f) => [f.name, f]));

export function factSpec(name: string): FactSpec | undefined {
  return BY_NAME.get(name);
}

const YES = new Set(['yes', 'y', 'true', '1', 'on']);
const NO = new Set(['no', 'n', 'false', '0', 'off']);

/** Parses one value for a fact; throws a UsageError naming the fact and what it accepts. */
export function parseFactValue(name: string, raw: string): FactValue {
  const spec = BY_NAME.get(name);
  if (!spec)
    throw new UsageError(
      `--fact: unknown fact ${JSON.stringify(name)} (known: ${FACTS.map((f) => f.name).join(', ')})`,
    );
  if (spec.type === 'text') {
    if (raw.trim() === '') throw new UsageError(`--fact ${name}: needs a value`);
    return raw.trim();
  }
  const v = raw.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  throw new UsageError(`--fact ${name}=${JSON.stringify(raw)}: must be yes or no`);
}

/** Parses repeated `--fact name=value`; the same fact twice with different values is an error. */
export function parseFacts(args: readonly string[]): Map<string, FactValue> {
  const out = new Map<string, FactValue>();
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--fact ${JSON.stringify(a)}: expected name=value`);
    const name = a.slice(0, eq).trim();
    const value = parseFactValue(name, a.slice(eq + 1));
    if (out.has(name) && out.get(name) !== value)
      throw new UsageError(`--fact ${name}: stated twice with different values`);
    out.set(name, value);
  }
  return out;
}

export function formatFactValue(v: FactValue): string {
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
}
