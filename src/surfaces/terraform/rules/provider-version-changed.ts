import { loadSemver } from '../../../core/semver.js';
import { defineRule } from '../../../core/rule.js';
import type { TfContext, TfUnit } from '../model.js';
import { onlyFloorMoves, parseConstraint, rangeMove } from '../version-range.js';

type M =
  | 'constraintChanged'
  | 'floorChanged'
  | 'rangeNarrowed'
  | 'rangeWidened'
  | 'unlockedMajor'
  | 'lockSelects'
  | 'withinMajor'
  | 'majorDowngrade'
  | 'sourceChanged'
  | 'lockUpgraded'
  | 'lockDowngraded';

/** Whether a lock file entry (`registry.terraform.io/hashicorp/aws`) is the provider a requirement names. */
function locks(unit: TfUnit, name: string, source: string | undefined): boolean {
  const want = (source ?? `hashicorp/${name}`).toLowerCase();
  for (const address of unit.lock?.head.keys() ?? []) {
    const a = address.toLowerCase();
    if (a === want || a.endsWith(`/${want}`)) return true;
  }
  return false;
}

/**
 * Whether a unit is a root configuration (applied itself: it configures providers or a backend, and no
 * changed configuration calls it as a module) with no lock file committed: every `terraform init` there
 * selects the newest version the constraints allow. A reusable module has no lock file by design: its
 * callers' lock files select.
 */
function unlockedRoot(unit: TfUnit): boolean {
  return !!unit.unlockedRoot && !unit.calledBy;
}

/**
 * Provider versions move: a `required_providers` constraint, or the version selected in
 * `.terraform.lock.hcl`. Constraints only say which versions are acceptable; the lock file selects
 * one. A newer provider may upgrade the state of its resources, one way, so what matters is whether a
 * change forces a workspace onto versions the previous constraint did not admit, and how far.
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
      "Version constraints in `required_providers` say which provider versions are acceptable; the dependency lock file `.terraform.lock.hcl` selects one: `terraform init` re-selects the locked version as long as it meets the constraints, even when newer ones exist, and only `terraform init -upgrade` (or a locked version the constraints no longer admit, which `init` refuses until `-upgrade`) selects again, the newest version the constraints allow. So a constraint change is read as the interval of versions each side admits. When the two share versions, nothing is forced: a lower bound that rises (`>= 5.40` -> `>= 5.60`), a range narrowed around what the previous one already allowed (`>= 1.11` -> `~> 2.0`: the revert's range admits every version the new one selects, so going back downgrades nothing) or widened (`~> 2.1.2` -> `~> 2.0`: the newest version the previous range allowed is still allowed, so `init` keeps it) are information, fully reversible. When the new range admits none of the previous versions, every workspace moves. Each resource type has a schema version, stored in state; a provider release that bumps it upgrades the stored state on the next plan, and an older provider then refuses that state (\"Resource instance managed by newer provider version\"). Providers keep their resources compatible within a major version (HashiCorp's versioning guidelines: minor releases keep existing functionality compatible, patch releases are functionally equivalent, breaking changes need a major), so a forced move within a major is a compatibility window (going back needs `init -upgrade` and works while no schema was raised), and a forced new major (`~> 1.11` -> `~> 2.0`) needs a restore of the older state to go back (reversible with manual repair). When the lock file changes in the same change, it is the selection, and its change carries the class: the constraint change is information. A downgrade in the lock file meets the schema wall directly (forward-only). Constraints are read in every configuration (a reusable module's constraints bind its callers), lock files wherever they are committed (root configurations). All this holds where a lock file is committed for the root configuration that runs: where none is (absent at both revisions, or listed in `.gitignore`) in a configuration that is applied itself (it configures providers or a backend, and no changed configuration calls it as a module: examples, environments), nothing records a selection, and every `terraform init` selects the newest available version that meets the constraints. There a range widened to admit a newer major than the previous one allowed (`~> 3.0` -> `>= 3.0`) moves the workspace to that major on the next init, if one is released (which majors exist is not known here): reversible with manual repair, like a forced major. A range narrowed within what the previous one admitted stays information. Reusable modules commit no lock file by design (their callers' lock files select) and keep the reading above.",
    fix: 'Upgrade providers in a change of their own, after a plan shows no unexpected diff; keep the state snapshot from before the upgrade (versioned backend bucket) as the way back.',
    references: [
      'https://developer.hashicorp.com/terraform/language/files/dependency-lock#dependency-installation-behavior',
      'https://developer.hashicorp.com/terraform/language/files/dependency-lock#lock-file-location (the lock file belongs to the root configuration; commit it to version control)',
      'https://developer.hashicorp.com/terraform/language/expressions/version-constraints',
      'https://developer.hashicorp.com/terraform/plugin/best-practices/versioning',
      'https://hashicorp.github.io/terraform-provider-aws/breaking-changes/ (breaking changes are not allowed within a provider major version)',
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
    rangeNarrowed: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}" stays within the versions the previous one admitted: the revert\'s range admits whatever the new one selects, so going back downgrades nothing (a workspace locked outside the new range needs terraform init -upgrade)',
      class: 'fully-reversible',
      severity: 'info',
    },
    rangeWidened: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}" still admits the newest version the previous one allowed: terraform init keeps the locked version, and nothing moves until terraform init -upgrade',
      class: 'fully-reversible',
      severity: 'info',
    },
    unlockedMajor:
      'provider {{name}}: version constraint "{{from}}" -> "{{to}}" admits a newer major, if released, than the previous one allowed: no lock file is committed for this configuration ({{dir}}), so every terraform init selects the newest version the constraints allow and the workspace moves to that major; a provider major may upgrade the state of its resources, and after a revert the previous provider refuses it ("Resource instance managed by newer provider version")',
    lockSelects: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}": the lock file of this configuration changes with it and selects the version; its change is the one that moves the provider',
      class: 'fully-reversible',
      severity: 'info',
    },
    withinMajor: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}" admits none of the previous versions: every workspace moves to {{direction}} {{distance}} release of the same major (terraform init -upgrade); a provider keeps its resources\' state compatible within a major, so going back works while no resource schema was raised',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
    },
    majorDowngrade: {
      text: 'provider {{name}}: version constraint "{{from}}" -> "{{to}}" forces an older major: state already written by the newer provider may be refused ("Resource instance managed by newer provider version")',
      severity: 'warning',
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
    /** Which message a constraint change gets: what it forces on a workspace, read from the two ranges. */
    const judge = (
      unit: TfUnit,
      name: string,
      source: string | undefined,
      from: string,
      to: string,
    ): { id: M; direction?: string; distance?: string } => {
      if (locks(unit, name, source)) return { id: 'lockSelects' as const };
      const a = parseConstraint(semver, from);
      const b = parseConstraint(semver, to);
      if (!a || !b) return { id: 'constraintChanged' as const };
      const move = rangeMove(semver, a, b);
      if (move.kind === 'same' || onlyFloorMoves(from, to)) return { id: 'floorChanged' as const };
      if (move.kind === 'overlap' && move.top === 'higher' && move.distance === 'major' && unlockedRoot(unit))
        return { id: 'unlockedMajor' as const };
      if (move.kind === 'overlap')
        return { id: move.top === 'higher' ? ('rangeWidened' as const) : ('rangeNarrowed' as const) };
      if (move.distance === 'major')
        return { id: move.kind === 'up' ? ('constraintChanged' as const) : ('majorDowngrade' as const) };
      return {
        id: 'withinMajor' as const,
        direction: move.kind === 'up' ? 'a newer' : 'an older',
        distance: move.distance,
      };
    };
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
          if (before.version !== after.version && before.version !== undefined && after.version !== undefined) {
            const { id, direction, distance } = judge(unit, after.name, after.source, before.version, after.version);
            const data = {
              name: after.name,
              from: before.version,
              to: after.version,
              ...(id === 'unlockedMajor' ? { dir: unit.dir || '.' } : {}),
            };
            report(id, direction && distance ? { ...data, direction, distance } : data, where, {
              object: `provider.${after.name}`,
            });
          }
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
