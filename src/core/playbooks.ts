/**
 * The recovery playbooks: one runbook template per kind of bad change. A rule names the playbook its
 * findings point to in its metadata (`decision.playbook`); the decision picks the highest-priority one
 * among the change's findings.
 */
export const PLAYBOOKS = [
  'bad-app-release',
  'bad-config-reference',
  'bad-iac-module',
  'bad-iam-change',
  'bad-network-change',
  'bad-database-migration',
  'bad-policy-rule',
  'bad-controller-upgrade',
] as const;
export type PlaybookId = (typeof PLAYBOOKS)[number];
