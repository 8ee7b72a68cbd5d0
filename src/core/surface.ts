import type { ChangedFile, RepoReader } from './change.js';
import type { Location, MessageData } from './finding.js';
import type { AnyRule, Report, ReportExtra, Rule } from './rule.js';
import type { RollwrightConfig } from './config.js';

/**
 * A family of rules as the rule reference shows it: its id (the `<id>/` of its rule keys, and its
 * folder src/surfaces/<id>), a name and a one-paragraph summary. Every surface is one; the engine's
 * own rules (`core`) and those only `revert --check` runs (`revert`) are families that claim no files.
 */
export interface RuleFamily {
  id: string;
  name: string;
  summary: string;
  rules: readonly AnyRule[];
}

/**
 * A rollback surface: a family of files (Kubernetes manifests, Helm charts, SQL migrations...)
 * with its parser and rules. Surfaces are listed in src/registry.ts.
 */
export interface Surface extends RuleFamily {
  /** Cheap, path-only test: does this surface want to read this file? Called for every changed file. */
  claims(path: string): boolean;
  /**
   * Files this surface claims only to search them (source code searched for flag keys), not to assess
   * them: when such a file is binary or too large, it is listed as skipped rather than reported as
   * unreadable, since nothing about the change's reversibility depends on reading it.
   */
  searchesOnly?(path: string): boolean;
  /** Custom resource kinds (`group/Kind`) this surface understands, so no other surface calls them unknown. */
  kinds?: readonly string[];
  /** Parses the claimed files and runs the rules through `ctx.run`. */
  assess(ctx: SurfaceContext): Promise<void>;
}

export interface SurfaceContext {
  /** The changed files this surface claimed, with both texts read. */
  files: ChangedFile[];
  config: RollwrightConfig;
  repo: RepoReader;
  /** Runs rules against a surface-specific context; findings go to the assessment. */
  run<Ctx>(rules: readonly Rule<Ctx, string>[], ctx: Ctx): Promise<void>;
  /** Reports through one rule outside `run` (parse errors found while reading files). */
  reporter<M extends string>(rule: Rule<any, M>): Report<M>;
  /** Lists a claimed file as not assessed by this surface, with the reason (shown in reports, never silent). */
  skip(path: string, reason: string): void;
  /** Custom resource kinds (`group/Kind`) some surface of this run understands. */
  knownKinds: ReadonlySet<string>;
  /** Per-run memo shared by surfaces (a file parsed once even when two surfaces read it). */
  memo<T>(key: string, make: () => T): T;
}

/**
 * `memo` key of the raw manifest files whose objects a rendered overlay of this run reports (a
 * `resources` entry of a kustomization that was rendered): file path → the rendered copy's path. The
 * assessment keeps the rendered view of their objects and drops the raw file's Kubernetes findings.
 */
export const RENDERED_RAW_FILES = 'rendered-raw-files';

export type { Location, MessageData, ReportExtra };
