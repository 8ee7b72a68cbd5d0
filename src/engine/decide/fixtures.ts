/**
 * Builders of `DecisionInput`s for the decision tests: findings as the surfaces report them (rule
 * key, message id, class, object, data), an assessment around them, and a repository/ledger picture.
 * Imported by tests only.
 */
import type { RollbackClass } from '../../core/classes.js';
import { classOfFindings } from '../../core/finding.js';
import { formatMessage, type Finding, type MessageData, type Severity } from '../../core/finding.js';
import type { Window } from '../../ledger/windows.js';
import { ASSESSMENT_SCHEMA, unassessedOf, type Assessment } from '../assess.js';
import type { DecisionInput, FactValue, LedgerFacts, Reconciler } from './types.js';

export const SHA1 = '1111111111111111111111111111111111111111';
export const SHA2 = '2222222222222222222222222222222222222222';

export function finding(
  rule: string,
  messageId: string,
  cls: RollbackClass,
  opts: { file: string; line?: number; object?: string; data?: MessageData; text?: string; severity?: Severity },
): Finding {
  const surface = rule.split('/')[0]!;
  return {
    rule,
    surface,
    class: cls,
    severity: opts.severity ?? 'warning',
    message: formatMessage(opts.text ?? `${rule}:${messageId}`, opts.data),
    messageId,
    file: opts.file,
    line: opts.line ?? 1,
    ...(opts.object ? { object: opts.object } : {}),
    ...(opts.data ? { data: opts.data } : {}),
  };
}

export function assessment(findings: Finding[], extra: Partial<Assessment> = {}): Assessment {
  return {
    schema: ASSESSMENT_SCHEMA,
    base: `${SHA1}^`,
    head: SHA1,
    class: classOfFindings(findings),
    unassessed: unassessedOf(findings),
    findings,
    declaration: null,
    gate: { passed: true, reasons: [] },
    environments: ['prod'],
    skipped: [],
    stats: { filesChanged: findings.length, filesRead: findings.length, bytesRead: 0 },
    ...extra,
  };
}

export function ledger(extra: Partial<LedgerFacts> = {}): LedgerFacts {
  return {
    store: 'sqlite:.rollwright/ledger.db',
    incident: 'INC-7',
    deployedAt: '2026-11-27T10:00:00.000Z',
    previousArtifact: null,
    artifact: null,
    windows: [],
    phasesPassed: [],
    activePauses: [],
    evidenceAttached: [],
    ...extra,
  };
}

export function window(extra: Partial<Window>): Window {
  return {
    change: 'CHG-1',
    service: 'web',
    environment: 'prod',
    surface: null,
    window: '48h',
    kind: 'duration',
    opensAt: '2026-11-25T10:00:00.000Z',
    closesAt: '2026-11-27T10:00:00.000Z',
    closesOn: null,
    condition: null,
    open: false,
    closedBy: null,
    remainingSeconds: null,
    ...extra,
  };
}

export function argoApp(extra: Partial<Reconciler> = {}): Reconciler {
  return {
    controller: 'argocd',
    kind: 'Application',
    name: 'web',
    namespace: 'argocd',
    file: 'clusters/prod/apps/web.yaml',
    line: 1,
    paths: ['apps/web/prod'],
    covers: ['apps/web/prod/deployment.yaml'],
    automated: true,
    selfHeal: true,
    prune: true,
    suspended: false,
    syncPolicy: '{automated: {prune: true, selfHeal: true}}',
    ...extra,
  };
}

export function fluxKustomization(extra: Partial<Reconciler> = {}): Reconciler {
  return {
    controller: 'flux',
    kind: 'Kustomization',
    name: 'apps',
    namespace: 'flux-system',
    file: 'clusters/prod/apps.yaml',
    line: 1,
    paths: ['apps/web/prod'],
    covers: ['apps/web/prod/deployment.yaml'],
    automated: true,
    selfHeal: false,
    prune: true,
    suspended: false,
    syncPolicy: null,
    ...extra,
  };
}

export function input(
  findings: Finding[],
  extra: Partial<DecisionInput> & { stated?: Record<string, FactValue> } = {},
): DecisionInput {
  const { stated, ...rest } = extra;
  return {
    change: 'CHG-1',
    commits: [SHA1],
    environment: 'prod',
    assessment: assessment(findings),
    declaration: null,
    ledger: ledger(),
    repository: { reconcilers: [], rollouts: [], flags: [], workspaces: [] },
    facts: new Map(Object.entries(stated ?? {})),
    at: '2026-11-28T00:00:00.000Z',
    ...rest,
  };
}

export const IMAGE_FROM = 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64);
export const IMAGE_TO = 'ghcr.io/acme/web@sha256:' + 'b'.repeat(64);

export function imageChanged(): Finding {
  return finding('kubernetes/image-changed', 'digestToDigest', 'fully-reversible', {
    file: 'apps/web/prod/deployment.yaml',
    line: 21,
    object: 'apps/Deployment/shop/web',
    severity: 'info',
    data: { workload: 'Deployment shop/web', container: 'container web', from: IMAGE_FROM, to: IMAGE_TO },
    text: '{{workload}} {{container}}: image {{from}} → {{to}} (digest to digest: the rollback target is pinned)',
  });
}

/** The `web` Deployment of namespace `shop` with one container running `image`: the manifest the git-backed decide tests change. */
export const webDeployment = (image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

/** The Argo CD Application `argocd/web-prod` (automated sync with self-heal) over clusters/prod/web: the reconciler of the git-backed decide tests. */
export const webProdApplication = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-prod
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example/platform.git
    targetRevision: main
    path: clusters/prod/web
  destination: { server: https://kubernetes.default.svc, namespace: shop }
  syncPolicy:
    automated: { prune: true, selfHeal: true }
`;
