import type SemverLib from 'semver';
import { loadSemver } from '../../../core/semver.js';
import { defineRule, type Report } from '../../../core/rule.js';
import { appliedItself, callCreatesNothing } from '../count.js';
import { addressDiff } from '../diff.js';
import type { TfContext, TfModuleCall } from '../model.js';
import { isVersionTag, parseModuleSource, redactSource } from '../source.js';
import { parseConstraint, rangeMove, type VersionRange } from '../version-range.js';

type M =
  | 'patch'
  | 'minor'
  | 'major'
  | 'downgrade'
  | 'downgradeWithinMajor'
  | 'sameNewest'
  | 'withinPrevious'
  | 'unknownDistance'
  | 'sourceChanged'
  | 'codeUnread'
  | 'noInstance';

/**
 * The releases a registry `version` constraint or a git tag admits (a tag is one release: `v2.4.1`);
 * undefined when it is neither.
 */
export function rangeOf(semver: typeof SemverLib, v: string): VersionRange | undefined {
  const range = parseConstraint(semver, v);
  if (range) return range;
  const one = semver.coerce(v);
  return one ? { lo: one, hi: one, hiInclusive: true } : undefined;
}

/** A finding's data: the module call's address, its versions (or sources), and a downgrade's distance. */
export type ModuleVersionChangedData = {
  address: string;
  from: string;
  to: string;
  distance?: string;
  unread?: string;
  why?: string;
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
      "A module release can rename or move its resources (with moved blocks inside the module), change defaults, or require newer providers. Going forward is planned by Terraform; going back is not always a plain revert: if the new version moved resources, the old version has no moved blocks for the way back and plans to destroy and re-create them. A registry module's code is not in the repository, so its semver distance is the evidence: a patch release fixes bugs and should change no resources (information, fully reversible if the plan agrees); a minor release adds functionality in a backward compatible way, so what the caller's inputs create stays as it was, and going back is a plain revert unless the release moved resources (a compatibility window: read the plan); a major release is breaking by definition (renamed or moved resources, new provider requirements: reversible with manual repair). The hedge on minors is measured, not assumed: Terraform's refactoring guide presents `moved` blocks as the way to rename resources in a module without a breaking change, and widely used registry modules ship them in minor and even patch releases: terraform-aws-modules/eks v20.8.0 (a `feat:` minor) re-keyed the node IAM role policy attachments of its node-group and Karpenter sub-modules with moved blocks (migrations.tf), and v20.8.3 (a `fix:` patch) did the same in its Fargate sub-module; going back from either to the release before plans to destroy and re-create those attachments. So a minor stays a compatibility window (read the plan) rather than a plain revert. A local module's code is in the repository, and what its change does to each resource is assessed by the other rules. A commit-to-commit change cannot be measured at all. Registry modules have no lock file: `terraform init` installs the newest release the constraint allows, and keeps an installed one that still meets it unless `-upgrade` is given. So a constraint is read as the releases it admits: a constraint that only moves its floor under the same ceiling (`~> 1.1` -> `~> 1.5`, both below 2.0.0) selects the same release on both sides, and one whose ceiling comes down inside the previous range (`~> 4.15` -> `~> 4.21.1`) selects a release the previous range also allows, whose revert installs no older release: information, fully reversible. A range that admits none of the previous releases, or reaches higher, is judged by the distance between the newest releases each side admits. The same call site reached from several root configurations (a module's examples) is reported once. When a call moves between a local path and a remote source (`source = \"../..\"` -> `terraform-aws-modules/eks/aws`), the module keeps its address: Terraform re-initialises it and plans the difference between the two codes, so nothing is removed from the configuration, but one of the codes is not in the repository and the jump is not assessed (held at reversible-with-manual-repair until the plan is read). A local module's source is only where its code is: Terraform keys state by the module's address (`module.<call name>`), never by its source, so a call whose path moves with its directory (`./modules/a` -> `./modules/b`) keeps its resources, and both codes, each read from its own revision, are compared resource by resource: a directory renamed unchanged plans nothing and is not reported, and code that really differs is reported by the rules of what it changes. A path written without `./` (`modules/a/`), which Terraform 0.11 and earlier resolved against the calling module's directory through go-getter's file detector and Terraform 0.12 and later refuse, is read as the directory it names.",
    fix: 'Read the module changelog, assess the plan (`rollwright assess --plan PLAN.json`), and state the way back (the moved blocks a downgrade needs) in the change declaration.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/syntax#version',
      'https://developer.hashicorp.com/terraform/language/expressions/version-constraints',
      'https://developer.hashicorp.com/terraform/cli/commands/init#child-module-installation',
      'https://developer.hashicorp.com/terraform/language/modules/develop/refactoring',
      'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/master/CHANGELOG.md (20.8.0, #2962: moved blocks in modules/*/migrations.tf in a minor release; 20.8.3, #2963: in a patch release)',
      'https://semver.org/',
      'https://developer.hashicorp.com/terraform/language/files/dependency-lock (Terraform does not remember version selections for remote modules: it selects the newest that meets the constraints)',
      'https://developer.hashicorp.com/terraform/language/modules/sources',
      'https://developer.hashicorp.com/terraform/cli/state/resource-addressing (a module is addressed module.<call name>, whatever its source)',
      "https://github.com/hashicorp/go-getter/blob/main/detect_file.go (a relative source path is joined to the calling module's directory)",
    ],
  },
  messages: {
    patch: {
      text: '{{address}}: {{from}} -> {{to}} (patch): a revert goes back to {{from}}; a patch release should change no resources, and the plan shows whether it does',
      class: 'fully-reversible',
      severity: 'info',
    },
    minor: {
      text: '{{address}}: {{from}} -> {{to}} (minor): by semver a minor release adds without breaking, so what your inputs create stays as it was; going back to {{from}} is a plain revert unless the release moved resources with moved blocks (the older code then plans to destroy and re-create them): read the plan',
      class: 'reversible-with-compatibility-window',
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
    withinPrevious: {
      text: '{{address}}: {{from}} -> {{to}} stays within the releases {{from}} allows: terraform init installs the newest release the constraint allows (modules have no lock file), one {{from}} also allows, and going back to {{from}} installs no older release',
      class: 'fully-reversible',
      severity: 'info',
    },
    downgrade: {
      text: '{{address}}: {{from}} -> {{to}} is a downgrade ({{distance}}): if {{from}} moved or replaced resources, {{to}} plans to destroy and re-create them',
      severity: 'warning',
    },
    downgradeWithinMajor: {
      text: '{{address}}: {{from}} -> {{to}} is a downgrade ({{distance}}) within the major: the resources your inputs create are the same by semver unless {{from}} moved some with moved blocks, which {{to}} then plans to destroy and re-create; read the plan',
      class: 'reversible-with-compatibility-window',
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
    noInstance: {
      text: '{{address}}: {{from}} -> {{to}}, but the call creates nothing with the inputs this configuration gives ({{why}}), before and after: no object of the module exists to change or to roll back',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  async check({ units, report: raw }) {
    const semver = await loadSemver();
    // A module's call site seen from each root configuration that calls the module (its examples) is one finding.
    const seen = new Set<string>();
    const report: Report<M, ModuleVersionChangedData> = (id, data, where, extra) => {
      const key = `${id}\0${where.file}\0${where.line}\0${data.address}`;
      if (seen.has(key)) return;
      seen.add(key);
      raw(id, data, where, extra);
    };
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
        // A call that creates nothing on either side (its count, or that of a call it sits in, is zero;
        // or a module gated on `create` called with false) has nothing in state for a release to change.
        // Only in a root configuration: a reusable module's defaults say nothing of its callers' inputs.
        const root = appliedItself(unit.base) && appliedItself(unit.head);
        const was = root ? callCreatesNothing(unit.base, before) : undefined;
        const is = root ? callCreatesNothing(unit.head, after) : undefined;
        if (was && is) {
          const same = before.source === after.source && before.version && after.version;
          const text = (c: TfModuleCall) =>
            same ? c.version! : redactSource(c.source!) + (c.version ? ` ${c.version}` : '');
          report(
            'noInstance',
            { address: after.address, from: text(before), to: text(after), why: is },
            { file: after.file, line: after.version !== undefined ? after.versionLine : after.sourceLine },
            { object: after.address },
          );
          continue;
        }
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
  const ra = comparable ? rangeOf(semver, registry ? before.version! : a.ref!) : undefined;
  const rb = comparable ? rangeOf(semver, registry ? after.version! : b.ref!) : undefined;
  if (!ra || !rb) {
    report('unknownDistance', data, where, extra);
    return;
  }
  const move = rangeMove(semver, ra, rb);
  if (move.kind === 'same') return; // a range rewritten to admit the same releases
  if (move.kind === 'overlap' && move.top !== 'higher') {
    // init installs the newest release a constraint allows: the same ceiling selects the same release,
    // a lower one a release the revert's range still allows.
    report(move.top === 'same' ? 'sameNewest' : 'withinPrevious', data, where, extra);
    return;
  }
  if (move.kind === 'down') {
    report(
      move.distance === 'major' ? 'downgrade' : 'downgradeWithinMajor',
      { ...data, distance: move.distance },
      where,
      extra,
    );
    return;
  }
  report(move.distance, data, where, extra);
}
