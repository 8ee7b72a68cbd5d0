/**
 * What a finding means to the incident decision, beyond its rollback class: the effects a rule
 * declares in its metadata (`decision.effects`, on the rule or on one of its messages). The decision
 * reads these, never a message's text: a finding with `data-destroyed` refuses a plain rollback, one
 * with `artifact` makes the previous artifact a check, and so on.
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
