/**
 * An example incident: a change deployed, the incident detected 4 minutes
 * later, a decision, a revert, verification, evidence attached; and its SLO targets
 * (`rollbackSLO: criticalService: {detect: 5m, decide: 10m, execute: 15m, verify: 10m, evidence: 24h}`).
 * Shared by the library tests and the whole-process CLI tests, so both record the same story.
 */
export const EXAMPLE_CONFIG = `rollbackSLO:
  checkout:
    detect: 5m
    decide: 10m
    execute: 15m
    verify: 10m
    evidence: 24h
`;

export const CHANGE = 'CHG-2026-0821';
export const INCIDENT = 'INC-2026-0042';
const NEW = `sha256:${'b'.repeat(64)}`;
const OLD = `sha256:${'a'.repeat(64)}`;

export interface ExampleStep {
  type: string;
  flags: Record<string, string>;
  data: Record<string, string | string[]>;
}

/** Up to verification: durations for detect, decide, execute and verify; evidence still owed. */
export const EXAMPLE_UNTIL_VERIFIED: ExampleStep[] = [
  {
    type: 'change.declared',
    flags: { change: CHANGE, at: '2026-01-05T08:30:00Z', actor: 'dev-alice' },
    data: {
      environment: 'prod',
      rollbackClass: 'reversible-with-compatibility-window',
      rollbackWindow: '48h',
      rollbackMethod: 'revert-image-digest-and-disable-new-feature-flag',
      verification: ['error-rate < 1%', 'login-success-rate > 99.5%'],
    },
  },
  {
    type: 'change.deployed',
    flags: { change: CHANGE, service: 'checkout', env: 'prod', at: '2026-01-05T09:00:00Z', actor: 'argocd' },
    data: { artifact: NEW, version: '2.14.0' },
  },
  {
    type: 'incident.detected',
    flags: { incident: INCIDENT, change: CHANGE, at: '2026-01-05T09:04:00Z', actor: 'alertmanager' },
    data: { severity: 'critical', description: 'login error rate 7%' },
  },
  {
    type: 'decision.made',
    flags: { incident: INCIDENT, at: '2026-01-05T09:10:00Z', actor: 'sre-bob' },
    data: { transition: 'rollback', rationale: 'stateless image change; old digest present and verified' },
  },
  {
    type: 'recovery.executed',
    flags: { incident: INCIDENT, at: '2026-01-05T09:22:00Z', actor: 'sre-bob' },
    data: {
      transition: 'rollback',
      commit: '9f3c2a1',
      artifact: OLD,
      log: 'https://argocd.example/applications/checkout?rev=9f3c2a1',
    },
  },
  {
    type: 'recovery.verified',
    flags: { incident: INCIDENT, at: '2026-01-05T09:30:00Z', actor: 'sre-bob' },
    data: {
      result: 'passed',
      checks: ['error-rate < 1%', 'login-success-rate > 99.5%'],
      metrics: 'https://grafana.example/d/checkout?from=0900&to=0930',
    },
  },
];

/** Evidence attached afterwards: the last item arrives 6 hours after verification. */
export const EXAMPLE_EVIDENCE: ExampleStep[] = [
  {
    type: 'evidence.attached',
    flags: { incident: INCIDENT, at: '2026-01-05T09:40:00Z', actor: 'sre-bob' },
    data: { item: 'approval', ref: 'https://tickets.example/CAB-7781' },
  },
  {
    type: 'evidence.attached',
    flags: { incident: INCIDENT, at: '2026-01-05T09:45:00Z', actor: 'ci' },
    data: { item: 'policy-result', ref: 'https://ci.example/runs/5512#policy' },
  },
  {
    type: 'evidence.attached',
    flags: { incident: INCIDENT, at: '2026-01-05T11:00:00Z', actor: 'sre-carol' },
    data: { item: 'drift-check', ref: 'argocd app diff checkout: in sync' },
  },
  {
    type: 'postmortem.action',
    flags: { incident: INCIDENT, at: '2026-01-05T15:30:00Z', actor: 'sre-carol' },
    data: { action: 'canary analysis on login success rate', owner: 'team-checkout', due: '2026-01-19' },
  },
];

/** The items `evidence show` lists as owed after verification, before the evidence steps. */
export const OWED_AFTER_VERIFIED = ['approval', 'policy-result', 'drift-check', 'postmortem-action'];

/** The durations in seconds the report must give, and the targets. */
export const EXAMPLE_PHASES = {
  detect: { seconds: 240, target: 300, breached: false },
  decide: { seconds: 360, target: 600, breached: false },
  execute: { seconds: 720, target: 900, breached: false },
  verify: { seconds: 480, target: 600, breached: false },
  evidence: { seconds: 21600, target: 86400, breached: false },
};

/** argv for `rollwright record` of a step. */
export function recordArgs(step: ExampleStep): string[] {
  const args = ['record', step.type];
  for (const [k, v] of Object.entries(step.flags)) args.push(`--${k}`, v);
  for (const [k, v] of Object.entries(step.data))
    for (const x of Array.isArray(v) ? v : [v]) args.push('--data', `${k}=${x}`);
  return args;
}
