import type { Declaration } from '../../core/declaration.js';
import type { RollwrightConfig } from '../../core/config.js';
import type { Finding } from '../../core/finding.js';
import type { ScoreStatus } from '../../core/vocabulary.js';
import type { LedgerEvent } from '../../ledger/chain.js';

export const SCORE_SCHEMA = 'rollwright.score/v1';

/** How an item moved since the previous score run of the same repository in the ledger. */
export type Trend = 'up' | 'down' | 'same' | 'new';

export interface ScoreItem {
  /** Stable id (`declarations`, `digests`...): the key of the trend and of `score.recorded`. */
  id: string;
  title: string;
  status: ScoreStatus;
  /** What decided the status: counts, commits, record ids. */
  evidence: string[];
  /** What would make it pass; empty when it passes. */
  fix: string;
  /** Against the previous run recorded in the ledger; absent without a previous run. */
  trend?: Trend;
  previous?: ScoreStatus;
}

/** One change on the first-parent line of the window, as assessed (its commit against its first parent). */
export interface ScoredChange {
  sha: string;
  subject: string;
  /** Committer time, ISO. */
  at: string;
  /** Environments its paths deploy to. */
  environments: string[];
  /** Whether one of them requires a declaration. */
  production: boolean;
  declaration: Declaration | null;
  /** A declaration file at HEAD names this change by its commit id or Change-Id after the fact. */
  declaredLate?: string;
  findings: readonly Finding[];
  /** The assessment failed (a declaration or config that does not parse): why, and nothing else is known. */
  error?: string;
}

/** Where the tree's artifacts stand: from `lint` when it exists, else from the rollback targets' readers. */
export interface TreeFacts {
  /** What produced the facts (said in the evidence). */
  source: string;
  images: TreeArtifact[];
  modules: TreeArtifact[];
  /** Whether registries were asked (false: offline, every retention status unknown). */
  live: boolean;
}

export interface TreeArtifact {
  ref: string;
  file: string;
  line: number;
  /** Pinned: an image by digest, a module by an exact version, a tag or a commit. */
  pinned: boolean;
  /** Why it is not pinned (`tag 1.9`, `branch main`, `no version`). */
  why?: string;
  production: boolean;
  /** The registry's answer: present, missing, or why it is unknown. */
  retention: 'present' | 'missing' | 'unknown';
  reason?: string;
}

export interface ScoreInput {
  /** The repository's identity (the origin URL, else its first commit). */
  repository: string;
  /** Its short name, for people. */
  name: string;
  head: string;
  /** The start of the window, ISO; the `--since` as given. */
  since: { given: string; start: string };
  config: RollwrightConfig;
  /** Commits on the first-parent line in the window, and how many of them were assessed. */
  commitsInWindow: number;
  changes: ScoredChange[];
  /** Commits in the window left unassessed beyond the cap, newest kept. */
  notAssessed: number;
  tree: TreeFacts;
  /** Policy test files at HEAD (Kyverno CLI tests, Rego `_test.rego`, Gatekeeper suites). */
  policyTests: string[];
  /** Policy objects and exceptions at HEAD. */
  policies: { policies: string[]; exceptions: Array<{ ref: string; expiry: boolean }> };
  /** The ledger's events; null when there is no ledger. */
  ledger: { where: string; events: readonly LedgerEvent[] } | null;
  /** Evaluation time (ISO). */
  now: string;
}

export interface ScoreReport {
  schema: typeof SCORE_SCHEMA;
  /** The repository's identity: its origin's normalised URL, else its first commit; trends are kept per identity. */
  repository: string;
  name: string;
  head: string;
  since: string;
  windowStart: string;
  /**
   * 0 to 100: pass counts 1, partial 0.5, fail 0, averaged over the items that could be decided
   * (unknown items are left out and counted in `unknown`); null when none could.
   */
  score: number | null;
  counts: Record<ScoreStatus, number>;
  items: ScoreItem[];
  ledger: string | null;
  /** The previous run this one is compared with (its ledger sequence number and time). */
  previous: { seq: number; at: string; score: number | null } | null;
  /** The score.recorded event of this run, when it was recorded. */
  recorded: { seq: number } | null;
}
