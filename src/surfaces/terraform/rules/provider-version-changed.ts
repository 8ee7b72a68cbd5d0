import { loadSemver } from '../../../core/semver.js';
import { defineRule } from '../../../core/rule.js';
import type { TfContext } from '../model.js';

type M = 'constraintChanged' | 'sourceChanged' | 'lockUpgraded' | 'lockDowngraded';

/**
 * Provider versions move: a `required_providers` constraint, or the version selected in
 * `.terraform.lock.hcl`. A newer provider may upgrade the state of its resources, one way.
 */
export default defineRule<TfContext, M>({
  id: 'provider-version-changed',
  surface: 'terraform',
  class: 'forward-only',
  decision: { playbook: 'bad-iac-module', effects: ['previous-invalid'] },
  severity: 'warning',
  docs: {
    summary: 'A provider version constraint or the provider version locked in .terraform.lock.hcl changes.',
    rationale:
      'Each resource type has a schema version, stored in state. A provider release that bumps it upgrades the stored state on the next plan, and the previous provider then refuses that state ("Resource instance managed by newer provider version"): the way back after an apply is not a downgrade of the provider but a restore of the older state, which forgets every change made since. Major provider releases also change defaults and remove attributes. A downgrade in the lock file meets that wall directly.',
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
    sourceChanged: 'provider {{name}}: source {{from}} -> {{to}}: another provider manages these resources from now on',
    lockUpgraded:
      'provider {{address}}: locked version {{from}} -> {{to}} ({{distance}}): the state it writes may not be readable by {{from}} again',
    lockDowngraded: {
      text: 'provider {{address}}: locked version {{from}} -> {{to}} is a downgrade: state already written by {{from}} may be refused ("Resource instance managed by newer provider version")',
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
            report('constraintChanged', { name: after.name, from: before.version, to: after.version }, where, {
              object: `provider.${after.name}`,
            });
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
