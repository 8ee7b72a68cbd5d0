/** How an assessment is rendered: the formats and their options (shared by the reporters and their loader). */
import type { RuleMeta } from '../core/rule.js';

export type Format = 'text' | 'json' | 'markdown' | 'comment' | 'sarif' | 'codequality';

export interface RenderOptions {
  /** ANSI colour in `text` (the only format that colours). */
  color: boolean;
  /** Terminal width `text` wraps messages to; none: one line per finding, as a pipe or a CI log wants. */
  width?: number | undefined;
  /** Rule metadata for docs in `markdown` and `sarif`; default: every registered rule. */
  rules?: readonly RuleMeta[];
  /** Tool version written to SARIF; default: the version of this build. */
  version?: string;
  /** URL of the rule reference (docs/rules.md) that rule links point into. */
  docsUrl?: string;
  /** Rows of the `markdown` findings table before the rest is summarised (default 100). */
  maxRows?: number;
  /** Characters the `comment` format may use (default GitHub's comment limit, 65,536). */
  limit?: number;
}

/** The options with every default filled in, as the individual reporters receive them. */
export type ResolvedRenderOptions = RenderOptions & { rules: readonly RuleMeta[] };
