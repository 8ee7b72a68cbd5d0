/**
 * `rollwright check-targets` and `revert --check` as one library call: a change (or a tree) of a git
 * repository, its rollback targets collected (targets.ts) and checked live. It sits apart from
 * targets.ts because it runs the assessment (assess.ts), which itself collects targets for `--live`.
 */
import type { ChangedFile } from '../core/change.js';
import type { Finding } from '../core/finding.js';
import type { AnyRule } from '../core/rule.js';
import type { Surface } from '../core/surface.js';
import { LiveChecker, type LiveOptions } from '../live/index.js';
import {
  checkTargets,
  collectTargets,
  countStatuses,
  TARGETS_SCHEMA,
  type Side,
  type TargetReport,
} from './targets.js';

export interface TargetCheckOptions {
  repo: string;
  /** A change: base..head (base defaults to head's first parent). */
  base?: string;
  head?: string;
  /** A tree: every artifact the revision references. */
  tree?: boolean;
  configFile?: string;
  live: LiveOptions;
  /** The side a rollback returns to: `base` for a change (default), `head` for a revert. */
  side?: Side;
  /** Findings of an assessment already made (a revert's): rendered image changes are read from them. */
  findings?: readonly Finding[];
  /** With surfaces and rules, the change is assessed too, so images changed in rendered output count. */
  surfaces?: readonly Surface[];
  rules?: readonly AnyRule[];
}

const TARGET_PATHS = ['**/*.yaml', '**/*.yml', '**/*.tf', '**/*.tofu'];
/** Strings a file holding a rollback target contains (a cheap first cut for a whole tree). */
const TARGET_MENTIONS = ['image', 'chart', 'source', 'repoURL', 'url:', 'resources:', 'repository'];

export async function checkRollbackTargets(opts: TargetCheckOptions): Promise<TargetReport> {
  const [{ GitRepo }, { loadConfig, assessChangeSet }] = await Promise.all([
    import('../git/repo.js'),
    import('./assess.js'),
  ]);
  const repo = await GitRepo.open(opts.repo);
  try {
    // A whole tree is read at one revision: no base, so a shallow clone is no obstacle there.
    const range = opts.tree
      ? await repo.resolveHead(opts.head ?? 'HEAD')
      : await repo.resolveRange({
          ...(opts.base !== undefined ? { base: opts.base } : {}),
          ...(opts.head !== undefined ? { head: opts.head } : {}),
        });
    const config = await loadConfig(repo, opts.configFile, opts.rules ?? []);
    let files: ChangedFile[];
    let findings: readonly Finding[] = opts.findings ?? [];
    if (opts.tree) {
      const paths = await repo.grep('head', TARGET_MENTIONS, TARGET_PATHS);
      files = [];
      for (const p of paths.sort()) {
        const t = await repo.readText('head', p);
        if (t !== undefined) files.push({ status: 'added', path: p, newText: t });
      }
    } else {
      const wanted = (p: string) => /\.(ya?ml|tf|tofu)$/i.test(p);
      const changes = await repo.changeSet({ ...config.limits, wants: wanted });
      files = changes.files.filter((f) => !f.unreadable);
      if (opts.surfaces && opts.rules && opts.findings === undefined) {
        const a = await assessChangeSet(changes, repo, config, { surfaces: opts.surfaces });
        findings = a.findings;
      }
    }
    const targets = await collectTargets({ files, repo, config, findings }, opts.tree ? 'head' : (opts.side ?? 'base'));
    const checked = await checkTargets(targets, opts.live);
    return {
      schema: TARGETS_SCHEMA,
      mode: opts.tree ? 'tree' : 'change',
      base: opts.tree ? null : range.base,
      head: range.head,
      offline: new LiveChecker(opts.live).offline,
      targets: checked,
      counts: countStatuses(checked),
    };
  } finally {
    repo.close();
  }
}
