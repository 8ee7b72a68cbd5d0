import type { RollbackClass } from '../../core/classes.js';
import type { Declaration } from '../../core/declaration.js';
import type { Finding } from '../../core/finding.js';
import type { PlaybookId } from '../../core/playbooks.js';
import type { Window } from '../../ledger/windows.js';
import type { Transition } from '../../core/vocabulary.js';
import type { Assessment } from '../assess.js';

/**
 * The incident decision. `decide()` in decide.ts is pure: a `DecisionInput`
 * (gathered by gather/ from the assessment, the ledger, the repository and stated facts) in, a
 * `Decision` out. The JSON field names of `Decision` are the contract of `rollwright decide -o json`.
 */

export const DECISION_SCHEMA = 'rollwright.decision/v1';

/**
 * Where an answer in the rationale came from. `live`: a check of the rollback targets in their
 * registry, chart repository or git remote, made while deciding (`rollwright check-targets`).
 */
export type AnswerSource = 'assessment' | 'ledger' | 'repository' | 'live' | 'fact' | 'assumed';

/**
 * Where the commits of the change were found: the ledger's record of what shipped
 * (`change.deployed`/`change.merged` with `commit=`), `Change-Id:` trailers, the declaration file's
 * history, or the commit or range given on the command line.
 */
export type ResolutionSource = 'ledger' | 'trailer' | 'declaration' | 'argument';

/** The commits the decision is about, and how they were found. */
export interface ChangeResolution {
  source: ResolutionSource;
  /** One sentence: the record, trailer, file, merge or argument the commits come from. */
  how: string;
  /** Oldest first. */
  commits: Array<{ sha: string; subject: string; declarationOnly: boolean }>;
  /**
   * Every commit changes only change declarations (`.rollwright/changes/`): the change's own commits
   * were probably not found, and the decision is about a declaration, not the change.
   */
  declarationOnly: boolean;
}

export interface RationaleEntry {
  question: string;
  answer: string;
  source: AnswerSource;
}

export interface RunbookStep {
  step: string;
  command: string | null;
  check: string | null;
}

export interface Decision {
  schema: typeof DECISION_SCHEMA;
  /** The change as named on the command line, resolved: a change id, a sha or `base..head`. */
  change: string;
  /** The recovery. */
  transition: Transition;
  /** Containment steps taken before the recovery, in order (`pause`, `abort-rollout`, a flag off...). */
  containment: Transition[];
  rationale: RationaleEntry[];
  runbook: RunbookStep[];
  /** Facts the decision needed and could not infer nor was told: the value assumed, and why it matters. */
  assumptions: string[];
  /** Evidence items (`EVIDENCE_ITEMS`) the recovery must still produce. */
  evidenceOwed: string[];
  /** Extensions beyond the contract. */
  /** The playbook the runbook was filled from. */
  playbook: PlaybookId;
  /** The change's rollback class from the assessment. */
  class: RollbackClass;
  environment: string | null;
  /** Plain rollback refused (a closed window, data changed, an invalid previous state): why, and the alternative. */
  refused: Array<{ transition: Transition; reason: string; alternative: Transition }>;
  /** The stated facts that the assessment contradicts; the assessment wins. */
  overruled: Array<{ fact: string; stated: string; evidence: string }>;
  /** The commits assessed, and how they were found (printed first in every view). */
  resolution: ChangeResolution;
}

export { PLAYBOOKS, type PlaybookId } from '../../core/playbooks.js';

/** A fact's value: yes/no facts are booleans; a few take text (an artifact reference). */
export type FactValue = boolean | string;

/** A control loop that reconciles some of the change's paths: the narrowest thing a pause may stop. */
export interface Reconciler {
  controller: 'argocd' | 'flux';
  /** `Application`, `ApplicationSet`, `Kustomization`, `HelmRelease`. */
  kind: string;
  name: string;
  namespace: string;
  /** Where the object is defined (head revision). */
  file: string;
  line: number;
  /** Repository paths it reconciles (source path, Kustomization path, chart path). */
  paths: string[];
  /** Changed files it covers. */
  covers: string[];
  /** Automated sync on (Argo CD `syncPolicy.automated`; Flux always reconciles unless suspended). */
  automated: boolean;
  selfHeal: boolean;
  prune: boolean;
  /** Flux `spec.suspend: true` at head. */
  suspended: boolean;
  /** The sync policy as it is at head (YAML flow text), so the runbook can restore it exactly. */
  syncPolicy: string | null;
  /**
   * The loop that syncs this object's own manifest, when there is one (an Argo CD Application or
   * ApplicationSet defined in a path another Application or a Flux Kustomization reconciles: the app of
   * apps). A parent that syncs automatically puts back a sync policy changed in the cluster, so pausing
   * this object alone does not stick (argoproj/argo-cd#3895): the parent is paused first, and resumed
   * last. Its own `parent` continues the chain; its `covers` is this object's file.
   */
  parent?: Reconciler;
  /** ApplicationSet: `spec.ignoreApplicationDifferences` at head (JSON), null when it has none. */
  ignoreApplicationDifferences?: string | null;
}

/** A progressive rollout touched by the change. */
export interface RolloutRef {
  kind: 'Rollout' | 'Canary';
  name: string;
  namespace: string;
  file: string;
  line: number;
}

/** A feature flag the change references or changes. */
export interface FlagRef {
  key: string;
  /** The file or ConfigMap that defines it. */
  source: string;
  file: string;
  line: number;
  /** The variant that turns it off, when the definition shows one (`off`, `false`). */
  offVariant: string | null;
}

/** A Terraform/OpenTofu root module (workspace) touched by the change. */
export interface WorkspaceRef {
  dir: string;
  /** `terraform` or `tofu`, read from the repository (version pins, wrapper configs, the lock file's registry, CI). */
  tool: 'terraform' | 'tofu';
  /** What decided the tool (a file and what it says), or `assumed` when nothing names one. */
  toolFrom?: string;
}

export interface LedgerFacts {
  /** Where the ledger lives (path or URL without password). */
  store: string;
  incident: string | null;
  deployedAt: string | null;
  /** The artifact of the deployment before this change's, when recorded (`change.deployed artifact=`). */
  previousArtifact: string | null;
  /** The artifact this change deployed. */
  artifact: string | null;
  /** The change's windows in its environment, as `rollwright windows` computes them. */
  windows: Window[];
  /** Phases deployed (`change.deployed phase=`) for the change or its service since it deployed. */
  phasesPassed: string[];
  /** Pauses started and not ended. */
  activePauses: Array<{ target: string; controller: string | null; since: string }>;
  /** Evidence items attached for the incident so far. */
  evidenceAttached: string[];
}

export interface DecisionInput {
  /** The change as resolved: `CHG-…`, a sha or `base..head`. */
  change: string;
  /** Commits of the change, oldest first (what `git revert` takes). */
  commits: string[];
  /** How the commits were found (gather/change.ts); without it, they are taken as given (`argument`). */
  resolution?: ChangeResolution;
  environment: string | null;
  assessment: Assessment;
  declaration: Declaration | null;
  /** null when no ledger is configured or it has no record of the change. */
  ledger: LedgerFacts | null;
  repository: {
    reconcilers: Reconciler[];
    rollouts: RolloutRef[];
    flags: FlagRef[];
    workspaces: WorkspaceRef[];
    /** Files that may define a control loop (they name Argo CD or Flux) but could not be read. */
    unreadLoops?: Array<{ file: string; line: number; reason: string }>;
    /** Files that may define an Argo Rollout or Flagger Canary of the change but could not be read. */
    unreadRollouts?: Array<{ file: string; line: number; reason: string }>;
  };
  /** Facts stated with `--fact` or answered at the prompt. */
  facts: ReadonlyMap<string, FactValue>;
  /** Evaluate windows as of this time (ISO). */
  at: string;
}

/** Shorthand for rules over findings. */
export type FindingPredicate = (f: Finding) => boolean;
