import type { FactName } from './facts.js';

/**
 * The seven ordered questions of SPEC §4, as data: the rationale quotes `text`, the README is generated
 * from this table, and `facts` lists the facts a question may need (in the order the prompt asks them).
 */
export interface QuestionSpec {
  id: QuestionId;
  n: number;
  text: string;
  facts: readonly FactName[];
  /** What a yes leads to, in one line. */
  leadsTo: string;
}

export type QuestionId = 'loop' | 'rollout' | 'flag' | 'state' | 'data' | 'previous' | 'gitops';

export const QUESTIONS: readonly QuestionSpec[] = [
  {
    id: 'loop',
    n: 1,
    text: 'Is a control loop repeating damage?',
    facts: ['loop-repeating-damage'],
    leadsTo:
      'containment `pause` of the one Argo CD Application, Flux Kustomization or HelmRelease (or IaC workspace) that reconciles the changed paths, never the controller; its resume is the last step',
  },
  {
    id: 'rollout',
    n: 2,
    text: 'Is a progressive rollout still before full promotion?',
    facts: ['rollout-in-progress'],
    leadsTo:
      'containment `abort-rollout`: the stable version keeps serving; the transition when the abort is the whole recovery',
  },
  {
    id: 'flag',
    n: 3,
    text: 'Does a feature flag contain the impact?',
    facts: ['flag-contains-impact'],
    leadsTo: 'containment: the flag turned off in Git (its off variant), then the decision about the code goes on',
  },
  {
    id: 'state',
    n: 4,
    text: 'Is recorded IaC state known to be wrong (partial apply, drift)?',
    facts: ['state-drift'],
    leadsTo:
      'containment `repair-state` before any apply: refresh-only plan, import or moved blocks; never apply blindly',
  },
  {
    id: 'data',
    n: 5,
    text: 'Did the change mutate data or external state?',
    facts: ['data-changed', 'reads-switched', 'external-effects', 'backup-available'],
    leadsTo:
      'expand-only: rollback stays possible inside the window (rehearse first when reads switched); contract or destructive: never rollback, rollforward or restore; external effects: compensate',
  },
  {
    id: 'previous',
    n: 6,
    text: 'Is the previous state still valid against the current world?',
    facts: [
      'artifact-available',
      'previous-artifact',
      'policy-denies-old',
      'secret-compromised',
      'old-secret-revoked',
      'old-iam-over-broad',
      'window-open',
      'crds-compatible',
    ],
    leadsTo:
      'all yes: `rollback` by declarative revert through Git; any no: `rollforward`, naming the failed check and its forward fix',
  },
  {
    id: 'gitops',
    n: 7,
    text: 'Is the GitOps path available (pipeline identity, network, controller health)?',
    facts: ['gitops-path-available'],
    leadsTo:
      'no: `break-glass`, the imperative action logged and followed at once by the reconciliation commit that makes Git agree',
  },
];

export function question(id: QuestionId): QuestionSpec {
  return QUESTIONS.find((q) => q.id === id)!;
}

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
