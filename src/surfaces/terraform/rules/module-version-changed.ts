import type SemverLib from 'semver';
import { loadSemver } from '../../../core/semver.js';
import { defineRule, type Report } from '../../../core/rule.js';
import { addressDiff } from '../diff.js';
import type { TfContext, TfModuleCall } from '../model.js';
import { isVersionTag, parseModuleSource, redactSource } from '../source.js';

type M = 'patch' | 'minor' | 'major' | 'downgrade' | 'sameNewest' | 'unknownDistance' | 'sourceChanged' | 'codeUnread';

/** The lowest version a Terraform constraint allows (`~> 1.2` -> 1.2.0), or the version a tag names. */
export function lowestVersion(semver: typeof SemverLib, v: string | undefined): SemverLib.SemVer | undefined {
  if (v === undefined) return undefined;
  const cleaned = v
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('!='))
    .map((p) => p.replace(/^~>\s*/, '>=').replace(/^=\s*/, ''))
    .join(' ');
  try {
    const min = semver.minVersion(cleaned);
    if (min) return min;
  } catch {
    /* not a range */
  }
  return semver.coerce(v) ?? undefined;
}

/**
 * The exclusive upper bound of a Terraform version constraint made only of lower bounds and pessimistic
 * operators and `<` (`~> 1.1` -> 2.0.0, `~> 1.1.0` -> 1.2.0, `< 2.0` -> 2.0.0, `>= 1.2` -> none): '' when
 * unbounded; undefined for an exact version, `<=`, `!=`, a one-part `~>` or anything else, which this
 * reading does not try.
 */
export function upperBound(v: string): string | undefined {
  let upper: string | undefined = '';
  for (const raw of v.split(',')) {
    const p = raw.trim();
    let m = /^~>\s*v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(p);
    let u: string;
    if (m) u = m[3] === undefined ? `${Number(m[1]) + 1}.0.0` : `${m[1]}.${Number(m[2]) + 1}.0`;
    else if (/^>=?\s*v?\d+(\.\d+){0,2}$/.test(p)) u = '';
    else if ((m = /^<\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(p))) u = `${m[1]}.${m[2] ?? 0}.${m[3] ?? 0}`;
    else return undefined;
    if (u === '') continue;
    if (upper !== '' && upper !== u) return undefined;
    upper = u;
  }
  return upper;
}

/** A finding's data: the module call's address, its versions (or sources), and a downgrade's distance. */
export type ModuleVersionChangedData = {
  address: string;
  from: string;
  to: string;
  distance?: string;
  unread?: string;
};

/**
 * A module call's version moves (registry `version`, or a git `?ref=` that is a version tag), with the
 * semver distance; or its source moves to another module or a commit rollwright cannot compare.
 */
export default defineRule<TfContext, M, ModuleVersionChangedData>({
  id: 'module-version-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  decision: { playbook: 'bad-iac-module', effects: ['artifact'] },
  severity: 'warning',
  docs: {
    summary:
      'A module version changes (with the semver distance), or its source moves to another module or an incomparable ref.',
    rationale:
      'A module release can rename or move its resources (with moved blocks inside the module), change defaults, or require newer providers. Going forward is planned by Terraform; going back is not a plain revert: if the new version moved resources, the old version has no moved blocks for the way back and plans to destroy and re-create them. Patch releases should change no resources (fully reversible if the plan agrees); minor and major ones need their plan read, major ones most. A commit-to-commit change cannot be measured at all. A registry constraint that only moves its floor inside the same range (`~> 1.1` -> `~> 1.5`, both below 2.0.0) selects the same release: `terraform init` installs the newest release the constraint of a module allows (modules have no lock file), so a fresh working directory gets the same code on both sides, and the wider constraint of the revert still accepts whatever a working directory installed: information, fully-reversible. When a call moves between a local path and a remote source (`source = "../.."` -> `terraform-aws-modules/eks/aws`), the module keeps its address: Terraform re-initialises it and plans the difference between the two codes, so nothing is removed from the configuration, but one of the codes is not in the repository and the jump is not assessed (held at reversible-with-manual-repair until the plan is read).',
    fix: 'Read the module changelog, assess the plan (`rollwright assess --plan PLAN.json`), and state the way back (the moved blocks a downgrade needs) in the change declaration.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/syntax#version',
      'https://developer.hashicorp.com/terraform/language/expressions/version-constraints',
      'https://developer.hashicorp.com/terraform/cli/commands/init#child-module-installation',
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://semver.org/',
      'https://developer.hashicorp.com/terraform/language/modules/sources',
    ],
  },
  messages: {
    patch: {
      text: '{{address}}: {{from}} -> {{to}} (patch): a revert goes back to {{from}}; a patch release should change no resources, and the plan shows whether it does',
      class: 'fully-reversible',
      severity: 'info',
    },
    minor: {
      text: '{{address}}: {{from}} -> {{to}} (minor): new releases may add resources or move them with moved blocks, and going back to {{from}} would then destroy what moved; read the plan',
      severity: 'warning',
    },
    major: {
      text: '{{address}}: {{from}} -> {{to}} (major): breaking by definition (renamed or moved resources, new provider requirements); a downgrade is not a plain revert, read the plan',
      severity: 'warning',
    },
    sameNewest: {
      text: '{{address}}: {{from}} -> {{to}} moves the floor inside the same range: terraform init installs the newest release the constraint allows, the same on both sides, and going back to {{from}} selects it again (a working directory that kept an older release is upgraded by the change, never downgraded by its revert)',
      class: 'fully-reversible',
      severity: 'info',
    },
    downgrade: {
      text: '{{address}}: {{from}} -> {{to}} is a downgrade ({{distance}}): if {{from}} moved or replaced resources, {{to}} plans to destroy and re-create them',
      severity: 'warning',
    },
    unknownDistance: {
      text: '{{address}}: {{from}} -> {{to}}: not versions rollwright can compare, so how far apart they are is unknown; read the plan',
      severity: 'warning',
    },
    codeUnread: {
      text: '{{address}}: the source moves from {{from}} to {{to}}: the module keeps its address and Terraform plans the difference between the two codes, but {{unread}} is not in this repository, so what changes is not assessed; assess the plan (rollwright assess --plan PLAN.json)',
      severity: 'warning',
      decision: { playbook: 'bad-iac-module', effects: ['artifact', 'unassessed'] },
      unassessed: {
        reason: 'the module code on one side of the change is not in this repository',
        remedy: 'assess the plan of the change (rollwright assess --plan PLAN.json)',
      },
    },
    sourceChanged: {
      text: '{{address}}: the source moves from {{from}} to {{to}}, another module: what it manages may be replaced; read the plan',
      severity: 'warning',
    },
  },
  async check({ units, report }) {
    const semver = await loadSemver();
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      for (const { before, after } of addressDiff(unit).codeUnread)
        report(
          'codeUnread',
          {
            address: after.address,
            from: redactSource(before.source ?? 'no source') + (before.version ? ` ${before.version}` : ''),
            to: redactSource(after.source ?? 'no source') + (after.version ? ` ${after.version}` : ''),
            unread: after.dir !== undefined ? 'the previous code' : 'the new code',
          },
          { file: after.file, line: after.sourceLine },
          { object: after.address },
        );
      for (const after of unit.head.modules.values()) {
        const before = unit.base.modules.get(after.address);
        if (!before || before.local || after.local || before.source === undefined || after.source === undefined)
          continue;
        if (before.source === after.source && before.version === after.version) continue;
        compare(semver, before, after, report);
      }
    }
  },
});

function compare(
  semver: typeof SemverLib,
  before: TfModuleCall,
  after: TfModuleCall,
  report: Report<M, ModuleVersionChangedData>,
): void {
  const a = parseModuleSource(before.source!);
  const b = parseModuleSource(after.source!);
  const extra = { object: after.address };
  if (a.package !== b.package) {
    report(
      'sourceChanged',
      { address: after.address, from: a.display, to: b.display },
      { file: after.file, line: after.sourceLine },
      extra,
    );
    return;
  }
  const registry = b.kind === 'registry';
  const fromText = registry ? (before.version ?? 'latest') : (a.ref ?? 'default branch');
  const toText = registry ? (after.version ?? 'latest') : (b.ref ?? 'default branch');
  const where = { file: after.file, line: registry ? after.versionLine : after.sourceLine };
  const data = { address: after.address, from: fromText, to: toText };
  const comparable = registry
    ? before.version !== undefined && after.version !== undefined
    : a.ref !== undefined && b.ref !== undefined && isVersionTag(a.ref) && isVersionTag(b.ref);
  const va = comparable ? lowestVersion(semver, registry ? before.version : a.ref) : undefined;
  const vb = comparable ? lowestVersion(semver, registry ? after.version : b.ref) : undefined;
  if (!va || !vb) {
    report('unknownDistance', data, where, extra);
    return;
  }
  const cmp = semver.compare(va, vb);
  if (cmp === 0) return; // a range rewritten to the same floor
  if (registry) {
    // Both ranges, the same ceiling: init selects the same newest release on both sides.
    const ua = upperBound(before.version!);
    const ub = upperBound(after.version!);
    if (ua !== undefined && ua === ub) {
      report('sameNewest', data, where, extra);
      return;
    }
  }
  const distance = semver.diff(va, vb) ?? 'patch';
  const level = distance.replace(/^pre/, '') as 'major' | 'minor' | 'patch' | 'release';
  if (cmp > 0) {
    report('downgrade', { ...data, distance: level === 'release' ? 'prerelease' : level }, where, extra);
    return;
  }
  report(level === 'major' ? 'major' : level === 'minor' ? 'minor' : 'patch', data, where, extra);
}
