import { defineRule } from '../../../core/rule.js';
import { priorCall, type TfContext, type TfModuleCall, type TfUnit } from '../model.js';
import { exactVersion, isBranchName, isCommitId, isVersionTag, parseModuleSource } from '../source.js';

type M = 'gitNoRef' | 'gitBranch' | 'registryNoVersion' | 'registryRange' | 'archiveUnpinned';

/**
 * A module call added or changed with a source that does not name one version of the module: the
 * commit that deploys it does not decide which code runs, so reverting to it does not bring the code back.
 */
export default defineRule<TfContext, M>({
  id: 'module-source-unpinned',
  surface: 'terraform',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'A module source is not pinned: git without ?ref= or with a branch, a registry module without an exact version, an archive URL without a checksum.',
    rationale:
      'Terraform records no module version in state, and its dependency lock file locks providers only: `terraform init` fetches whatever the source names at that moment. A branch, a version range or a bare URL can name other code tomorrow, so the same commit plans differently over time, and a rollback to this commit does not restore the module code that was applied (finding it means digging through init logs). A version tag or a commit id makes the commit the record of what ran. The warning is about the rollback target, not about this change: a new module call has no previous code to go back to, and the class of a changed call comes from the code jump it causes (`module-version-changed`), so this finding is fully reversible by itself. Only what the change unpins is reported: a call that was unpinned the same way at the base (a range that stays a range, `~> 1.1` to `~> 1.5`; a git source still on a branch) keeps the property the base had, and its revert keeps it too. A file renamed or copied from another directory (git reports the rename; a root configuration moved from `examples/x` to `tests/x`) is compared with the file it came from: a call that had the same range there is not unpinned by the move. So is a module block renamed or moved (`moved { from = module.a  to = module.b }`, or the one call with the same source the change removes from the same file): the range it had under its old name is not the change\'s doing.',
    fix: 'Pin git sources to a tag or a commit (`?ref=v1.4.2` or the full commit id), registry modules to an exact `version = "1.4.2"`, archives with `?checksum=`; let a bot (Renovate, Dependabot) raise the pin.',
    references: [
      'https://developer.hashicorp.com/terraform/language/modules/sources#selecting-a-revision',
      'https://developer.hashicorp.com/terraform/language/modules/syntax#version',
      'https://developer.hashicorp.com/terraform/language/expressions/version-constraints',
      'https://developer.hashicorp.com/terraform/language/files/dependency-lock',
      'https://opentofu.org/docs/language/modules/sources/',
    ],
  },
  messages: {
    gitNoRef:
      '{{address}}: git source {{source}} has no ?ref=: every init takes the default branch as it is then, so a rollback to this commit does not bring this module code back',
    gitBranch:
      '{{address}}: ?ref={{ref}} in {{source}} is a branch or another moving name, not a version tag or a commit id',
    registryNoVersion: '{{address}}: registry module {{source}} has no version: every init takes the newest release',
    registryRange:
      '{{address}}: version "{{version}}" of {{source}} allows more than one release: pin an exact version so the commit records what runs',
    archiveUnpinned:
      '{{address}}: {{kind}} source {{source}} has no ?checksum= (or object version): the same URL can serve other code tomorrow',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.head) continue;
      for (const call of unit.head.modules.values()) {
        // What the call was: at its address in the base, or in the file it was renamed from (a root
        // configuration whose directory moves keeps its calls as they were).
        const before = priorCall(unit, call) ?? renamedFrom(unit, call);
        if (before && before.source === call.source && before.version === call.version) continue;
        // Unpinned the same way at the base (a range that was already a range, `~> 1.1` -> `~> 1.5`):
        // the property predates the change, and its revert keeps it.
        const was = new Set<M>();
        if (before && before.source === call.source) check(before, (id) => was.add(id));
        check(call, (id, ...rest) => {
          if (!was.has(id)) report(id, ...rest);
        });
      }
    }
  },
});

/**
 * The call a renamed or moved call was at the base: the one a `moved` block names as its origin, or
 * the one call with the same source that the change removes from the same file (a module block renamed
 * without a moved block).
 */
function renamedFrom(unit: TfUnit, call: TfModuleCall): TfModuleCall | undefined {
  const base = unit.base;
  const head = unit.head;
  if (!base || !head || call.source === undefined) return undefined;
  const moved = head.moved.find((m) => m.to === call.address);
  if (moved) return base.modules.get(moved.from);
  const gone = [...base.modules.values()].filter(
    (c) => !head.modules.has(c.address) && c.source === call.source && c.file === call.file,
  );
  return gone.length === 1 ? gone[0] : undefined;
}

function check(
  call: TfModuleCall,
  report: (id: M, data: Record<string, string>, at: { file: string; line: number }, extra: { object: string }) => void,
): void {
  if (call.source === undefined || call.local) return;
  const s = parseModuleSource(call.source);
  const base = { address: call.address, source: s.display };
  const where = { file: call.file, line: call.sourceLine };
  const extra = { object: call.address };
  switch (s.kind) {
    case 'git':
    case 'hg':
      if (s.ref === undefined) report('gitNoRef', base, where, extra);
      else if (!isCommitId(s.ref) && (!isVersionTag(s.ref) || isBranchName(s.ref)))
        report('gitBranch', { ...base, ref: s.ref }, where, extra);
      return;
    case 'registry':
      if (call.version === undefined) report('registryNoVersion', base, where, extra);
      else if (exactVersion(call.version) === undefined)
        report('registryRange', { ...base, version: call.version }, { file: call.file, line: call.versionLine }, extra);
      return;
    case 'http':
    case 's3':
    case 'gcs':
      if (!s.checksum && !s.objectVersion) report('archiveUnpinned', { ...base, kind: s.kind }, where, extra);
      return;
    default:
      return;
  }
}
