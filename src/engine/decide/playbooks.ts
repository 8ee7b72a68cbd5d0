import type { Effect } from '../../core/effects.js';
import type { Finding } from '../../core/finding.js';
import type { PlaybookId } from '../../core/playbooks.js';
import { decisionOf, ruleKey, type AnyRule } from '../../core/rule.js';
import { allRules } from '../../registry.js';

/**
 * A surface's playbook for the findings of a rule that names none (`database/locking-statement` is
 * still a database migration); the one place playbooks are kept by surface.
 */
export const SURFACE_PLAYBOOK: Readonly<Record<string, PlaybookId>> = {
  database: 'bad-database-migration',
  terraform: 'bad-iac-module',
  controllers: 'bad-controller-upgrade',
  crd: 'bad-controller-upgrade',
  policy: 'bad-policy-rule',
  secrets: 'bad-config-reference',
};

/** What a finding means to the decision: its playbook (if any) and its effects. */
export interface FindingMeaning {
  playbook?: PlaybookId;
  effects: readonly Effect[];
}

let rulesByKey: Map<string, AnyRule> | undefined;

/**
 * What a finding means to the decision, from its rule's metadata (`decision`, refined by the message's
 * own): the decision never reads a message's text. A rule that says nothing, or that no surface
 * knows, carries no effect and takes its surface's playbook.
 */
export function meaningOf(f: Pick<Finding, 'rule' | 'messageId' | 'surface'>): FindingMeaning {
  rulesByKey ??= new Map(allRules().map((r) => [ruleKey(r), r]));
  const rule = rulesByKey.get(f.rule);
  const exact = rule ? decisionOf(rule, f.messageId) : undefined;
  const playbook = exact?.playbook ?? SURFACE_PLAYBOOK[f.surface];
  return { ...(playbook ? { playbook } : {}), effects: exact?.effects ?? [] };
}

export function hasEffect(f: Finding, e: Effect): boolean {
  return meaningOf(f).effects.includes(e);
}

/**
 * The eight playbooks, in priority order (the first whose findings are present is chosen):
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
      'check the previous artifact still exists (`rollwright check-targets --change <rev>`): when it is gone there is no rollback, roll forward',
      'validate the revert (`rollwright revert <sha> --check --incident <id>`), apply it (`rollwright revert <sha> --apply --incident <id>`, which records the recovery; `git revert --no-edit <sha>` without an incident) and push',
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
