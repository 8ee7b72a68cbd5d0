import { defineRule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';

type M = 'added' | 'removed' | 'typeChanged' | 'locationChanged' | 'settingsChanged';

/** Settings that decide where the state is (changing them points Terraform at another state). */
const LOCATION = new Set([
  'bucket',
  'key',
  'prefix',
  'path',
  'workspace_dir',
  'workspace_key_prefix',
  'container_name',
  'storage_account_name',
  'resource_group_name',
  'subscription_id',
  'organization',
  'workspaces',
  'hostname',
  'project',
  'address',
  'conn_str',
  'schema_name',
  'namespace',
  'secret_suffix',
  'region',
  'endpoint',
  'endpoints',
]);

/**
 * The backend changes: state moves (`init -migrate-state`) or Terraform is pointed at another state.
 * Setting values are never shown (a backend block may hold credentials), only their names.
 */
export default defineRule<TfContext, M>({
  id: 'backend-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-iac-module', effects: ['state-wrong'] },
  severity: 'warning',
  docs: {
    summary: 'The backend (or cloud block, or a .tfbackend file) is added, removed, or points elsewhere.',
    rationale:
      'A backend change is a state migration: `terraform init -migrate-state` copies state to the new place and leaves the old copy behind, and `-reconfigure` starts from whatever the new place holds. A revert points Terraform back at the old copy, which missed every apply made in between, so the next plan is computed from stale state. When the new location holds no state, the first plan proposes to create every resource again. Setting values are never printed: backend settings may hold credentials.',
    fix: 'Migrate state in a change of its own, with the old location locked or emptied afterwards, and verify the next plan is empty before anything else changes.',
    references: [
      'https://developer.hashicorp.com/terraform/language/backend',
      'https://developer.hashicorp.com/terraform/cli/commands/init#backend-initialization',
      'https://developer.hashicorp.com/terraform/language/backend#partial-configuration',
      'https://opentofu.org/docs/language/settings/backends/configuration/',
    ],
  },
  messages: {
    added:
      'a {{type}} backend replaces the local state: init -migrate-state copies it, and the local copy left behind stops receiving changes',
    removed: {
      text: 'the {{type}} backend is removed: state moves back to a local file, and the {{type}} copy left behind stops receiving changes',
      severity: 'error',
    },
    typeChanged: {
      text: 'the backend moves from {{from}} to {{to}}: state is migrated, and a revert points Terraform back at a copy that missed every apply in between',
      severity: 'error',
    },
    locationChanged: {
      text: 'the {{type}} backend points elsewhere ({{settings}} changed): unless state is migrated, the next plan starts from another state, or from none and creates everything again',
      severity: 'error',
    },
    settingsChanged: {
      text: 'the {{type}} backend settings {{settings}} change (not its location): check that init still reaches the same state',
      decision: { effects: [] },
    },
  },
  check({ units, backendFiles, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      const a = unit.base.backend;
      const b = unit.head.backend;
      if (!a && !b) continue;
      if (!a && b) {
        if (b.type !== 'local') report('added', { type: b.type }, { file: b.file, line: b.line });
        continue;
      }
      if (a && !b) {
        if (a.type !== 'local') report('removed', { type: a.type }, { file: unit.head.files[0] ?? a.file, line: 1 });
        continue;
      }
      if (a!.type !== b!.type) {
        report('typeChanged', { from: a!.type, to: b!.type }, { file: b!.file, line: b!.line });
        continue;
      }
      settingsFinding(b!.type, a!.settings, b!.settings, { file: b!.file, line: b!.line }, report);
    }
    for (const f of backendFiles) {
      if (!f.base || !f.head) continue;
      settingsFinding('partial (.tfbackend)', f.base, f.head, { file: f.file, line: f.line }, report);
    }
  },
});

function settingsFinding(
  type: string,
  a: Record<string, string>,
  b: Record<string, string>,
  where: { file: string; line: number },
  report: (id: M, data: Record<string, string>, at: { file: string; line: number }) => void,
): void {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
  if (!names.length) return;
  const location = names.filter((n) => LOCATION.has(n));
  if (location.length) report('locationChanged', { type, settings: names.join(', ') }, where);
  else report('settingsChanged', { type, settings: names.join(', ') }, where);
}
