import type { Finding } from '../../core/finding.js';
import type { PlaybookId } from './types.js';

/**
 * What a finding means to the incident decision, as data (issue 7 §3, SPEC §4–§5). The decision never
 * reads a message's text: it reads the rule id (`<surface>/<rule>`), refined by message id where one
 * rule reports effects of different weight (`database/data-mutation:insert` is compensatable, the
 * rule's other messages destroy data).
 */
export const EFFECTS = {
  'data-destroyed': 'data is destroyed or overwritten: no rollback; restore from a backup, or roll forward',
  'data-forward-only': 'the data or schema cannot go back (enum value added, rename, lossy type change): roll forward',
  'data-expand': 'expand-only schema change: the old version keeps working, rollback possible inside the window',
  'data-surface': 'the change touches stateful objects: whether data changed matters to the decision',
  'external-effects': 'business records or hooks with effects a rollback does not undo: compensate',
  'state-wrong': 'recorded IaC state does not match reality (drift, partial plan, state surgery): repair before apply',
  immutable: 'an immutable field changed: the revert is rejected unless the object is deleted and re-created',
  'crd-incompatible': 'CRD served or storage versions move: a downgrade may strand stored objects',
  'secret-rotated': 'a secret is rotated: going back needs the old value still valid and not compromised',
  'secret-exposed': 'a secret value reached Git in plain text: it is compromised, rotate forward',
  'credential-revoked': 'a credential is deleted at its provider: the old one cannot come back',
  iam: 'IAM grants change: a rollback may restore an over-broad policy',
  network: 'network paths change: plan a connectivity check, and a break-glass path if the pipeline needs them',
  'policy-tightened': 'an admission rule now denies more, rollbacks of other changes included',
  artifact: 'a versioned artifact changes (image, chart, module, controller): the previous one must still exist',
  'previous-invalid':
    'the previous state is no longer accepted (API version no longer served, provider/engine upgraded, volume grown)',
  unassessed: 'part of the change was not assessed: unknown is never safe',
} as const;
export type Effect = keyof typeof EFFECTS;

export interface RuleMeaning {
  /** The playbook this finding points to; none means the default (`bad-app-release`). */
  playbook?: PlaybookId;
  effects: readonly Effect[];
}

/**
 * Keyed by `<surface>/<rule>` or `<surface>/<rule>:<messageId>` (the latter wins). Rules absent from
 * the table point to no playbook and carry no effect; the surface fallbacks below give them a playbook.
 */
export const RULE_MEANINGS: Readonly<Record<string, RuleMeaning>> = {
  // database
  'database/contract-statement': { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  'database/contract-statement:dropConstraint': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/contract-statement:dropType': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/contract-statement:dropView': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/data-mutation': { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  'database/data-mutation:insert': { playbook: 'bad-database-migration', effects: ['external-effects'] },
  'database/column-type-changed': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/column-type-changed:using': { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  'database/column-type-changed:safe': { playbook: 'bad-database-migration', effects: ['data-expand'] },
  'database/constraint-added': { playbook: 'bad-database-migration', effects: ['data-expand'] },
  'database/constraint-added:requiredColumn': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/enum-value-added': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/rename': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/expand-and-contract-same-release': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/expand-statement': { playbook: 'bad-database-migration', effects: ['data-expand'] },
  'database/down-migration': { playbook: 'bad-database-migration', effects: ['data-surface'] },
  'database/rehearsal': { playbook: 'bad-database-migration', effects: ['data-forward-only'] },
  'database/rehearsal:rowsLost': { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  'database/invalid-sql': { playbook: 'bad-database-migration', effects: ['unassessed'] },
  'database/invalid-sql:empty': { playbook: 'bad-database-migration', effects: [] },
  'database/invalid-sql:onlyComments': { playbook: 'bad-database-migration', effects: [] },
  // kubernetes
  'kubernetes/image-changed': { effects: ['artifact'] },
  'kubernetes/image-changed:stateful': { effects: ['artifact', 'data-surface'] },
  'kubernetes/immutable-field-changed': { effects: ['immutable'] },
  'kubernetes/immutable-configmap-changed': { playbook: 'bad-config-reference', effects: ['immutable'] },
  'kubernetes/pvc-storage-changed:increase': { effects: ['previous-invalid'] },
  'kubernetes/pvc-storage-changed:unparsable': { effects: ['previous-invalid'] },
  'kubernetes/stateful-object-deleted': { effects: ['data-destroyed'] },
  'kubernetes/stateful-object-deleted:pvcRetained': { effects: ['data-surface', 'immutable'] },
  'kubernetes/stateful-object-deleted:pvRetained': { effects: ['data-surface', 'immutable'] },
  'kubernetes/stateful-object-deleted:statefulSetClaimsKept': { effects: [] },
  'kubernetes/stateful-object-deleted:kept': { effects: [] },
  'kubernetes/removed-api-version:revertNotServed': { effects: ['previous-invalid'] },
  'kubernetes/dangling-reference': { playbook: 'bad-config-reference', effects: [] },
  'kubernetes/configmap-data-changed': { playbook: 'bad-config-reference', effects: [] },
  'kubernetes/plaintext-secret': { playbook: 'bad-config-reference', effects: ['secret-exposed'] },
  'kubernetes/plaintext-secret:stillPlaintext': { playbook: 'bad-config-reference', effects: [] },
  'kubernetes/invalid-manifest': { effects: ['unassessed'] },
  'kubernetes/invalid-manifest:duplicate': { effects: [] },
  'kustomize/selector-labels-changed': { effects: ['immutable'] },
  'kustomize/name-prefix-changed': { effects: ['data-surface', 'immutable'] },
  'kustomize/render-failed': { effects: ['unassessed'] },
  'kustomize/render-failed:noKubectl': { effects: [] },
  'kustomize/image-digest-changed': { effects: ['artifact'] },
  'argocd/application-deleted:cascade': { effects: ['data-surface'] },
  'argocd/application-deleted:appSet': { effects: ['data-surface'] },
  'helm/chart-version-changed': { effects: ['artifact'] },
  'helm/crds-changed': { effects: ['crd-incompatible'] },
  'helm/hook-changed:migration': { effects: ['external-effects'] },
  'helm/values-persistence:persistenceOff': { effects: ['data-destroyed'] },
  'helm/values-persistence:renamed': { effects: ['data-surface', 'immutable'] },
  // secrets
  'secrets/external-secret-changed': { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  'secrets/external-secret-changed:removed': { playbook: 'bad-config-reference', effects: [] },
  'secrets/sealed-secret-changed': { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  'secrets/sealed-secret-changed:removed': { playbook: 'bad-config-reference', effects: [] },
  'secrets/sops-rotated': { playbook: 'bad-config-reference', effects: ['secret-rotated'] },
  'secrets/sops-rotated:rekeyed': { playbook: 'bad-config-reference', effects: [] },
  'secrets/sops-decrypted': { playbook: 'bad-config-reference', effects: ['secret-exposed'] },
  'secrets/sops-decrypted:plainAdded': { playbook: 'bad-config-reference', effects: [] },
  // terraform
  'terraform/plan-iam-changed': { playbook: 'bad-iam-change', effects: ['iam'] },
  'terraform/plan-iam-changed:credentialRevoked': {
    playbook: 'bad-iam-change',
    effects: ['iam', 'credential-revoked'],
  },
  'terraform/plan-network-changed': { playbook: 'bad-network-change', effects: ['network'] },
  'terraform/plan-drift': { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  'terraform/plan-drift:moved': { playbook: 'bad-iac-module', effects: [] },
  'terraform/plan-incomplete': { playbook: 'bad-iac-module', effects: ['state-wrong', 'unassessed'] },
  'terraform/plan-incomplete:partial': { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  'terraform/state-operation': { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  'terraform/state-file-committed': { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  'terraform/state-file-committed:committed': { playbook: 'bad-iac-module', effects: ['secret-exposed'] },
  'terraform/backend-changed': { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  'terraform/backend-changed:settingsChanged': { playbook: 'bad-iac-module', effects: [] },
  'terraform/plan-resource-destroyed:deletedData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/plan-resource-destroyed:replacedDataDeleteFirst': {
    playbook: 'bad-iac-module',
    effects: ['data-destroyed'],
  },
  'terraform/plan-resource-destroyed:replacedDataCreateFirst': {
    playbook: 'bad-iac-module',
    effects: ['data-destroyed'],
  },
  'terraform/resource-removed:destroyedData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/resource-removed:moduleRemoved': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/moved-block-missing:renamedData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/moved-block-missing:ambiguousData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/moved-block-missing:moduleRenamedData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/moved-block-missing:moduleRenamedUnknown': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/moved-block-missing:repetitionChangedData': { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
  'terraform/module-version-changed': { playbook: 'bad-iac-module', effects: ['artifact'] },
  'terraform/provider-version-changed': { playbook: 'bad-iac-module', effects: ['previous-invalid'] },
  'terraform/plan-version-upgraded': { playbook: 'bad-iac-module', effects: ['previous-invalid', 'data-surface'] },
  'terraform/invalid-hcl': { playbook: 'bad-iac-module', effects: ['unassessed'] },
  // CRDs and controllers
  'crd/served-version-removed': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  'crd/storage-version-changed': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  'crd/version-added:addedWithStorage': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  'crd/crd-deleted': { playbook: 'bad-controller-upgrade', effects: ['data-destroyed'] },
  'crd/crd-deleted:kept': { playbook: 'bad-controller-upgrade', effects: [] },
  'controllers/controller-upgraded': { playbook: 'bad-controller-upgrade', effects: ['artifact'] },
  'controllers/controller-upgraded:withCrds': {
    playbook: 'bad-controller-upgrade',
    effects: ['artifact', 'crd-incompatible'],
  },
  'controllers/controller-upgraded:downgraded': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  // policy
  'policy/enforcement-changed:tightened': { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  'policy/enforcing-rule-added': { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  'policy/rego-changed:added': { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  'policy/rego-changed:changed': { playbook: 'bad-policy-rule', effects: ['policy-tightened'] },
  'helm/not-rendered:failed': { effects: ['unassessed'] },
  // findings of a revert (`rollwright revert --check`), when the decision is given them
  'revert/admission-denied:denied': { effects: ['previous-invalid'] },
  'revert/schema-invalid:invalid': { effects: ['previous-invalid'] },
  'revert/crd-version-reverted:storedVersion': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  'revert/crd-version-reverted:stillUsed': { playbook: 'bad-controller-upgrade', effects: ['crd-incompatible'] },
  'revert/expand-migration-reverted:downDestroys': { playbook: 'bad-database-migration', effects: ['data-destroyed'] },
  // the engine's own
  'core/rule-failed': { effects: ['unassessed'] },
  'core/unreadable-file': { effects: ['unassessed'] },
};

/** A surface's playbook when its rule has none in the table. */
export const SURFACE_PLAYBOOK: Readonly<Record<string, PlaybookId>> = {
  database: 'bad-database-migration',
  terraform: 'bad-iac-module',
  controllers: 'bad-controller-upgrade',
  crd: 'bad-controller-upgrade',
  policy: 'bad-policy-rule',
  secrets: 'bad-config-reference',
};

export function meaningOf(f: Pick<Finding, 'rule' | 'messageId' | 'surface'>): RuleMeaning {
  const exact = RULE_MEANINGS[`${f.rule}:${f.messageId}`] ?? RULE_MEANINGS[f.rule];
  const playbook = exact?.playbook ?? SURFACE_PLAYBOOK[f.surface];
  return { ...(playbook ? { playbook } : {}), effects: exact?.effects ?? [] };
}

export function hasEffect(f: Finding, e: Effect): boolean {
  return meaningOf(f).effects.includes(e);
}

/**
 * The eight playbooks of SPEC §5, in priority order (the first whose findings are present is chosen):
 * a database migration outranks IAM, IAM a network change, and so on down to an application release,
 * the default. `template` documents the steps the runbook is filled with (README).
 */
export interface PlaybookSpec {
  id: PlaybookId;
  title: string;
  template: readonly string[];
}

export const PLAYBOOK_SPECS: readonly PlaybookSpec[] = [
  {
    id: 'bad-database-migration',
    title: 'Bad database migration',
    template: [
      'never rollback a contract or destructive migration: rollforward (a forward migration that re-adds what the running version needs, or code that no longer needs it)',
      'restore (point-in-time recovery into a separate instance, then copy the lost values back) when data was destroyed and a backup exists',
      'expand-only: revert the application through Git and keep the expanded schema (do not run the down); `rollwright rehearse --dir <migrations>` first when reads switched',
      'compensate business records the migration inserted',
    ],
  },
  {
    id: 'bad-iam-change',
    title: 'Bad IAM change',
    template: [
      'if the previous policy was over-broad: a narrow forward fix granting only the missing permission to the changed address; never restore the broad policy',
      'otherwise: revert through Git, fresh plan showing only the IAM address, apply through the pipeline',
      'check the principal can do what failed, and nothing more',
    ],
  },
  {
    id: 'bad-network-change',
    title: 'Bad network change',
    template: [
      'revert through Git (or fix forward), fresh plan of the network addresses',
      'connectivity check from the affected clients after apply',
      'a break-glass path if the pipeline itself reaches its targets through the changed network',
    ],
  },
  {
    id: 'bad-iac-module',
    title: 'Bad IaC module release',
    template: [
      'freeze promotion of the module release to other stacks',
      'find the affected stacks (`git grep` for the module source)',
      'pin the previous version (the revert does it for this stack)',
      'fresh plans per workspace (`<tool> -chdir=<dir> plan`)',
      'compare desired, recorded and actual for stacks already applied (`plan -refresh-only`)',
    ],
  },
  {
    id: 'bad-controller-upgrade',
    title: 'Bad GitOps controller upgrade',
    template: [
      'check CRD compatibility before a downgrade (`kubectl get crd <name> -o jsonpath={.status.storedVersions}`)',
      'revert through Git when compatible; otherwise fix forward on the new version',
      'reconcile the drift created while the controller was down (`flux reconcile ... --with-source`, `argocd app diff`)',
    ],
  },
  {
    id: 'bad-policy-rule',
    title: 'Bad policy rule',
    template: [
      'capture the denied input (the admission request or policy report) before changing anything',
      'add it as a regression test of the policy',
      'revert the one rule through Git, or a scoped exception with an expiry; never disable the bundle',
    ],
  },
  {
    id: 'bad-config-reference',
    title: 'Bad ConfigMap or Secret reference',
    template: [
      'restore the missing key or object (revert through Git, or add it forward)',
      'restart the workloads that read it through env or subPath (`kubectl rollout restart <kind>/<name> -n <ns>`): they do not reload',
      'a compromised or revoked secret is rotated forward, never restored',
    ],
  },
  {
    id: 'bad-app-release',
    title: 'Bad application release',
    template: [
      'check the previous artifact still exists (`docker manifest inspect <image@digest>`)',
      'validate the revert (`rollwright revert <sha> --check`), then `git revert --no-edit <sha>` and push',
      'let the controller sync (`argocd app wait <app> --health`, `flux reconcile kustomization <name> -n <ns> --with-source`)',
    ],
  },
];

export const PLAYBOOK_PRIORITY: readonly PlaybookId[] = PLAYBOOK_SPECS.map((p) => p.id);

/** The playbook for these findings: the highest-priority one any finding points to, else an app release. */
export function pickPlaybook(findings: readonly Finding[]): PlaybookId {
  const present = new Set(findings.map((f) => meaningOf(f).playbook).filter((p) => p !== undefined));
  return PLAYBOOK_PRIORITY.find((p) => present.has(p)) ?? 'bad-app-release';
}
