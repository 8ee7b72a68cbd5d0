import type { Finding } from '../../../core/finding.js';
import type { Window } from '../../../ledger/windows.js';
import type { FactBook, Inferred, Resolved } from '../factbook.js';
import { formatFactValue, type FactName } from '../facts.js';
import type { Effect } from '../../../core/effects.js';
import { hasEffect } from '../playbooks.js';
import { previousImages } from '../runbook/playbook.js';
import { cite } from '../runbook/step.js';
import type { AnswerSource, DecisionInput, PlaybookId } from '../types.js';
import { addressOf, replacedArtifactOf } from '../findings.js';
import { artifactFact } from '../../targets.js';

/** The checks of question 6, as data: what each one asks, and the forward fix when it fails. */
export interface PreviousStateCheck {
  id: 'artifact' | 'policy' | 'immutable' | 'served' | 'secret' | 'iam' | 'window' | 'crds' | 'assessed';
  text: string;
  forwardFix: string;
}

export const PREVIOUS_STATE_CHECKS: readonly PreviousStateCheck[] = [
  {
    id: 'assessed',
    text: 'Was every part of the change assessed?',
    forwardFix: 'assess the unreadable part by hand before any revert; fix forward what is understood',
  },
  {
    id: 'artifact',
    text: 'Does the previous artifact still exist and verify?',
    forwardFix: 'rebuild the previous version from its commit, publish it by digest, and roll forward to that digest',
  },
  {
    id: 'policy',
    text: "Do the previous manifests pass today's admission policy?",
    forwardFix:
      'find out why the policy denies the previous state before overriding it; fix forward, or a scoped exception with an expiry',
  },
  {
    id: 'immutable',
    text: 'Does no immutable field stand in the way of the revert?',
    forwardFix:
      'keep the new value of the immutable field and fix forward; going back needs the object deleted and re-created',
  },
  {
    id: 'served',
    text: "Is the previous state still accepted by today's API server, provider and engine versions?",
    forwardFix: 'keep the new API version, provider or engine version in any fix; fix forward on top of it',
  },
  {
    id: 'secret',
    text: 'Is the old secret still valid and not compromised?',
    forwardFix:
      'rotate forward: issue a new secret, roll it out, revoke the old one; never go back to a compromised value',
  },
  {
    id: 'iam',
    text: 'Was the previous IAM policy not over-broad?',
    forwardFix: 'narrow forward fix: grant only the missing permission; never restore the over-broad policy',
  },
  {
    id: 'window',
    text: 'Is the rollback window still open?',
    forwardFix: 'the window has closed: roll forward on top of the current state',
  },
  {
    id: 'crds',
    text: 'Are controller and CRD versions compatible with the previous state?',
    forwardFix:
      'keep the new controller and CRDs; fix forward (a downgrade strands objects stored in versions the old one does not serve)',
  },
];

export function previousCheck(id: PreviousStateCheck['id']): PreviousStateCheck {
  return PREVIOUS_STATE_CHECKS.find((c) => c.id === id)!;
}

/** The answer of one check of question 6. */
export interface CheckResult {
  check: PreviousStateCheck;
  ok: boolean;
  answer: string;
  source: AnswerSource;
}

/** A check that failed, and why: the recovery becomes a rollforward naming its forward fix. */
export interface FailedCheck {
  check: PreviousStateCheck;
  why: string;
}

/** Who answered the checks, the least certain first: a decision is as sure as its weakest answer. */
export function worstSource(sources: AnswerSource[]): AnswerSource {
  const order: AnswerSource[] = ['assumed', 'fact', 'ledger', 'live', 'assessment', 'repository'];
  return order.find((s) => sources.includes(s)) ?? 'assessment';
}

const WINDOW_SURFACES: Record<string, readonly string[]> = {
  appImage: ['kubernetes', 'kustomize', 'helm', 'rollouts', 'argocd', 'flux', 'flags'],
  databaseSchema: ['database'],
  secretRotation: ['secrets'],
  infrastructureModule: ['terraform'],
  policyRule: ['policy'],
  controllerUpgrade: ['controllers', 'crd'],
};

export function windowApplies(w: Window, surfaces: ReadonlySet<string>): boolean {
  if (w.surface === null) return true;
  const mapped = WINDOW_SURFACES[w.surface];
  return mapped === undefined || mapped.some((s) => surfaces.has(s));
}

export function windowName(w: Window): string {
  const closed = w.closesAt
    ? `closed at ${w.closesAt}`
    : w.closedBy
      ? `closed by ${w.closedBy.type}${w.closesOn ? ` phase ${w.closesOn}` : ''} at ${w.closedBy.at}`
      : 'closed';
  return `${w.surface ? `${w.surface} ` : ''}rollback window ${JSON.stringify(w.window)} (${closed})`;
}

/** A declared rollback window as text (`24h`, or `appImage=24h, databaseSchema=7d`). */
export function declaredText(declared: unknown): string {
  return typeof declared === 'string'
    ? declared
    : declared && typeof declared === 'object'
      ? Object.entries(declared as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')
      : String(declared);
}

/** The checks of question 6 that matter for this change, in order, each answered. */
export function previousStateChecks(
  input: DecisionInput,
  findings: readonly Finding[],
  facts: FactBook,
  playbook: PlaybookId,
): CheckResult[] {
  const out: CheckResult[] = [];
  const by = (e: Effect) => findings.filter((f) => hasEffect(f, e));
  const push = (id: PreviousStateCheck['id'], ok: boolean, answer: string, source: AnswerSource) =>
    out.push({ check: previousCheck(id), ok, answer, source });
  const withFact = (answer: string, r: Resolved, name: FactName) =>
    r.source === 'fact'
      ? `${answer} (stated --fact ${name})`
      : r.source === 'assumed'
        ? `${answer} (assumed ${name}=${formatFactValue(r.value)})`
        : answer;

  const unassessed = by('unassessed');
  if (unassessed.length > 0) push('assessed', false, cite(unassessed[0]!), 'assessment');

  const artifacts = by('artifact');
  // The live check of the rollback targets, when the assessment made one (decide checks them unless
  // offline): a missing target answers the fact, a present one too; no answer leaves the assumption.
  const live = input.assessment.targets ? artifactFact(input.assessment.targets) : null;
  const liveTargets = input.assessment.targets?.targets.length ?? 0;
  if (artifacts.length > 0 || input.ledger?.previousArtifact || liveTargets > 0) {
    const images = previousImages(findings);
    const prevInferred: Inferred | undefined = input.ledger?.previousArtifact
      ? {
          value: input.ledger.previousArtifact,
          source: 'ledger',
          evidence: `change.deployed before this change ran ${input.ledger.previousArtifact}`,
        }
      : images.length > 0
        ? { value: images[0]!, source: 'assessment', evidence: `the change replaced ${images[0]}` }
        : undefined;
    const prev = prevInferred
      ? facts.get('previous-artifact', prevInferred)
      : input.facts.has('previous-artifact')
        ? facts.get('previous-artifact')
        : null;
    const avail =
      live && live.value !== null
        ? facts.get('artifact-available', { value: live.value, source: 'live', evidence: live.evidence })
        : facts.get('artifact-available');
    const named = artifacts.map(replacedArtifactOf).find((a) => a !== undefined);
    const what =
      prev && prev.value !== '' ? String(prev.value) : named ? `${named.what} ${named.from}` : 'the previous artifact';
    let answer: string;
    if (avail.source === 'live')
      answer =
        avail.value === true
          ? `${live!.evidence} (checked live); the runbook checks again before reverting`
          : `${live!.refusal}: ${live!.evidence} (checked live): there is no rollback to it`;
    else {
      answer = withFact(
        avail.value === true
          ? `${what} is expected to exist; the runbook checks it before reverting`
          : `${what} no longer exists or does not verify: there is no rollback`,
        avail,
        'artifact-available',
      );
      // Said so when a live check was made and gave no answer (offline, unreachable, nothing checkable).
      if (live && input.assessment.targets)
        answer += input.assessment.targets.offline
          ? '; live check: unknown (offline: nothing contacted)'
          : `; live check: unknown (${live.evidence})`;
    }
    push('artifact', avail.value === true, answer, avail.source);
  }

  if (findings.some((f) => f.surface === 'policy')) {
    const r = facts.get('policy-denies-old');
    push(
      'policy',
      r.value !== true,
      withFact(
        r.value === true
          ? "today's admission policy denies the previous manifests"
          : 'admission lets the previous state back in',
        r,
        'policy-denies-old',
      ),
      r.source,
    );
  }

  const immutable = by('immutable');
  if (immutable.length > 0)
    push(
      'immutable',
      false,
      `${cite(immutable[0]!)}: the revert needs the object deleted and re-created`,
      'assessment',
    );

  const invalid = by('previous-invalid');
  if (invalid.length > 0) push('served', false, cite(invalid[0]!), 'assessment');

  const exposed = by('secret-exposed');
  const rotated = by('secret-rotated');
  const revokedCred = by('credential-revoked');
  if (exposed.length + rotated.length + revokedCred.length > 0) {
    const comp = facts.get(
      'secret-compromised',
      exposed.length > 0 ? { value: true, source: 'assessment', evidence: cite(exposed[0]!) } : undefined,
    );
    if (comp.value === true) {
      push(
        'secret',
        false,
        comp.evidence ?? withFact('the secret is suspected compromised: rotate forward', comp, 'secret-compromised'),
        comp.source,
      );
    } else {
      const rev = facts.get(
        'old-secret-revoked',
        revokedCred.length > 0 ? { value: true, source: 'assessment', evidence: cite(revokedCred[0]!) } : undefined,
      );
      push(
        'secret',
        rev.value !== true,
        rev.value === true
          ? (rev.evidence ?? withFact('the old secret is revoked at its provider', rev, 'old-secret-revoked'))
          : withFact('the old secret is still valid and not compromised', rev, 'old-secret-revoked'),
        rev.value === true ? rev.source : worstSource([comp.source, rev.source]),
      );
    }
  }

  const iam = by('iam').filter((f) => f.messageId !== 'granted');
  if (iam.length > 0) {
    const r = facts.get('old-iam-over-broad');
    push(
      'iam',
      r.value !== true,
      withFact(
        r.value === true
          ? `the policy before ${String(addressOf(iam[0]!) ?? 'the change')} was over-broad: restoring it reintroduces the over-permission`
          : 'the previous policy was not over-broad',
        r,
        'old-iam-over-broad',
      ),
      r.source,
    );
  }

  /** The window check answered by the stated `window-open` fact: never assumed open. */
  const windowFact = (ifOpen: string, ifUnknown: string) => {
    const r = facts.get('window-open');
    push('window', r.value === true, withFact(r.value === true ? ifOpen : ifUnknown, r, 'window-open'), r.source);
  };
  const declared = input.declaration?.rollbackWindow ?? input.assessment.declaration?.rollbackWindow;
  if (!input.ledger && declared !== undefined) {
    // No ledger: when the change deployed and which phases passed are unknown, so whether the declared
    // window is still open is unknown too. It is not assumed open: a stated window-open=yes is needed.
    windowFact(
      `the declared window (${declaredText(declared)}) is open`,
      `no ledger record of the deployment, so whether the declared window (${declaredText(declared)}) is still open is unknown; it is not assumed open: state --fact window-open=yes after checking, or record change.deployed`,
    );
  }
  if (input.ledger) {
    const surfaces = new Set(findings.map((f) => f.surface));
    const closed = input.ledger.windows.filter((w) => !w.open && windowApplies(w, surfaces));
    const open = input.ledger.windows.filter((w) => w.open && windowApplies(w, surfaces));
    if (closed.length > 0) push('window', false, `the ${closed.map(windowName).join(', ')} has closed`, 'ledger');
    else if (open.length > 0)
      push(
        'window',
        true,
        open
          .map(
            (w) =>
              `${w.surface ? `${w.surface} ` : ''}window ${JSON.stringify(w.window)} open${w.closesAt ? ` until ${w.closesAt}` : ''}`,
          )
          .join(', '),
        'ledger',
      );
  }

  // A rollback the service itself offers only for some days after the change (an EKS control plane
  // one minor back within 7 days of the in-place upgrade): its finding carries the days.
  for (const f of findings.filter(
    (x) => typeof (x.data as { windowDays?: unknown } | undefined)?.windowDays === 'number',
  )) {
    const days = (f.data as { windowDays: number }).windowDays;
    const deployed = input.ledger?.deployedAt ? Date.parse(input.ledger.deployedAt) : NaN;
    if (Number.isNaN(deployed)) {
      windowFact(
        `the ${days}-day rollback of ${cite(f)} is stated open`,
        `${cite(f)} can be rolled back only within ${days} days of the upgrade, and no ledger records when it deployed: not assumed open; after ${days} days roll forward`,
      );
      continue;
    }
    const closes = new Date(deployed + days * 86_400_000).toISOString();
    const open = Date.parse(input.at) < deployed + days * 86_400_000;
    push(
      'window',
      open,
      open
        ? `the ${days}-day rollback of ${cite(f)} is open until ${closes}`
        : `the ${days}-day rollback of ${cite(f)} closed at ${closes} (deployed ${input.ledger!.deployedAt}): roll forward`,
      'ledger',
    );
  }

  const crd = by('crd-incompatible');
  if (crd.length > 0 || playbook === 'bad-controller-upgrade') {
    const fromAssessment = crd.find((f) => f.surface === 'crd');
    const r = facts.get(
      'crds-compatible',
      fromAssessment ? { value: false, source: 'assessment', evidence: cite(fromAssessment) } : undefined,
    );
    push(
      'crds',
      r.value === true,
      r.evidence ??
        withFact(
          r.value === true
            ? "the previous controller's CRD versions serve every stored object"
            : 'a downgrade may strand stored objects',
          r,
          'crds-compatible',
        ),
      r.source,
    );
  }
  return out;
}
