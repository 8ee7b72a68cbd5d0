import { loadSemver } from '../../../core/semver.js';
import { defineRule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';

type M = 'constraintChanged' | 'floorChanged' | 'sourceChanged' | 'lockUpgraded' | 'lockDowngraded';

/** One term of a version constraint (`>= 5.40`), its operator and version. */
function terms(constraint: string): Array<{ op: string; version: string }> {
  return constraint
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^(>=|<=|~>|!=|=|>|<)?\s*v?(.+)$/.exec(t);
      return { op: m?.[1] ?? '=', version: (m?.[2] ?? t).trim() };
    });
}

/**
 * Whether a constraint change only moves its lower bound: `>= 2.38` -> `>= 2.44`, `>= 5.40, < 6.0` ->
 * `>= 5.60, < 6.0`, or `~> 5.40` -> `~> 5.60` (the same upper bound, 6.0). Such a change selects
 * nothing by itself: the lock file does, and a revert does not take the selected provider back.
 */
export function onlyFloorMoves(from: string, to: string): boolean {
  const a = terms(from);
  const b = terms(to);
  if (a.length !== b.length || a.length === 0) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    if (x.op !== y.op) return false;
    if (x.version === y.version) return true;
    if (x.op === '>=' || x.op === '>') return true;
    if (x.op !== '~>') return false;
    // `~> 5.40` allows up to 6.0, `~> 5.40.1` up to 5.41: the same upper bound when all but the last part agree.
    const px = x.version.split('.');
    const py = y.version.split('.');
    return px.length === py.length && px.length > 1 && px.slice(0, -1).join('.') === py.slice(0, -1).join('.');
  });
}

/**
 * Provider versions move: a `required_providers` constraint, or the version selected in
 * `.terraform.lock.hcl`. Constraints only say which versions are acceptable; the lock file selects
 * one. A newer provider may upgrade the state of its resources, one way, so the lock file's
 * downgrade is the change that meets the wall.
 */
export default defineRule<TfContext, M>({
  id: 'provider-version-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-iac-module', effects: ['previous-invalid'] },
  severity: 'warning',
  docs: {
    summary: 'A provider version constraint or the provider version locked in .terraform.lock.hcl changes.',
    rationale:
      'Version constraints in `required_providers` say which provider versions are acceptable; the dependency lock file `.terraform.lock.hcl` selects one, and `terraform init` keeps that selection until `terraform init -upgrade`. A constraint whose lower bound rises (`>= 5.40` -> `>= 5.60`) selects nothing by itself, and its revert leaves the newer selected provider in place (it still satisfies the old floor): it is reported as information (consumers must upgrade), fully reversible. Each resource type has a schema version, stored in state. A provider release that bumps it upgrades the stored state on the next plan, and the previous provider then refuses that state ("Resource instance managed by newer provider version"): after an upgrade of the locked version, or a constraint that excludes the previous versions, the way back is not a downgrade of the provider but a restore of the older state (reversible with manual repair). A downgrade in the lock file meets that wall directly (forward-only). Constraints are read in every configuration (a reusable module\'s constraints bind its callers), lock files wherever they are committed (root configurations).',
    fix: 'Upgrade providers in a change of their own, after a plan shows no unexpected diff; keep the state snapshot from before the upgrade (versioned backend bucket) as the way back.',
    references: [
      'https://developer.hashicorp.com/terraform/language/files/dependency-lock',
      'https://developer.hashicorp.com/terraform/language/providers/requirements#version-constraints',
      'https://developer.hashicorp.com/terraform/plugin/framework/resources/state-upgrade',
      'https://opentofu.org/docs/language/files/dependency-lock/',
    ],
  },
  messages: {
    constraintChanged:
      'provider {{name}}: version constraint "{{from}}" -> "{{to}}": a newer provider may upgrade the state of its resources, and the previous one then refuses it',
    floorChanged: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}" only moves the lower bound: the lock file still selects the provider (workspaces below it need terraform init -upgrade), and a revert downgrades nothing',
      class: 'fully-reversible',
      severity: 'info',
    },
    sourceChanged: 'provider {{name}}: source {{from}} -> {{to}}: another provider manages these resources from now on',
    lockUpgraded:
      'provider {{address}}: locked version {{from}} -> {{to}} ({{distance}}): the state it writes may not be readable by {{from}} again',
    lockDowngraded: {
      text: 'provider {{address}}: locked version {{from}} -> {{to}} is a downgrade: state already written by {{from}} may be refused ("Resource instance managed by newer provider version")',
      class: 'forward-only',
      severity: 'error',
    },
  },
  async check({ units, report }) {
    const semver = await loadSemver();
    for (const unit of units) {
      if (unit.base && unit.head && !unit.broken) {
        for (const after of unit.head.providers.values()) {
          const before = unit.base.providers.get(after.name);
          if (!before) continue;
          const where = { file: after.file, line: after.line };
          if (before.source && after.source && before.source.toLowerCase() !== after.source.toLowerCase())
            report('sourceChanged', { name: after.name, from: before.source, to: after.source }, where, {
              object: `provider.${after.name}`,
            });
          if (before.version !== after.version && before.version !== undefined && after.version !== undefined)
            report(
              onlyFloorMoves(before.version, after.version) ? 'floorChanged' : 'constraintChanged',
              { name: after.name, from: before.version, to: after.version },
              where,
              { object: `provider.${after.name}` },
            );
        }
      }
      if (!unit.lock) continue;
      for (const after of unit.lock.head.values()) {
        const before = unit.lock.base.get(after.address);
        if (!before?.version || !after.version || before.version === after.version) continue;
        const a = semver.coerce(before.version);
        const b = semver.coerce(after.version);
        const where = { file: unit.lock.file, line: after.line };
        const data = { address: after.address, from: before.version, to: after.version };
        if (a && b && semver.lt(b, a)) report('lockDowngraded', data, where, { object: after.address });
        else
          report(
            'lockUpgraded',
            { ...data, distance: a && b ? (semver.diff(a, b) ?? 'patch') : 'unknown distance' },
            where,
            {
              object: after.address,
            },
          );
      }
    }
  },
});
