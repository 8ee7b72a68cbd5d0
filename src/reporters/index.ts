import type { RuleMeta } from '../core/rule.js';
import type { Assessment } from '../engine/assess.js';
import { allRules } from '../registry.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type Format = 'text' | 'json' | 'markdown' | 'sarif';

export interface RenderOptions {
  /** ANSI colour in `text` (the only format that colours). */
  color: boolean;
  /** Rule metadata for docs in `markdown` and `sarif`; default: every registered rule. */
  rules?: readonly RuleMeta[];
  /** Tool version written to SARIF; default: the version of this build. */
  version?: string;
  /** URL of the rule reference (docs/rules.md) that rule links point into. */
  docsUrl?: string;
  /** Rows of the `markdown` findings table before the rest is summarised (default 100). */
  maxRows?: number;
}

/** The options with every default filled in, as the individual reporters receive them. */
export type ResolvedRenderOptions = RenderOptions & { rules: readonly RuleMeta[] };

/** Reporters are pure functions from an assessment to a string. */
export function render(a: Assessment, format: Format, opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(a);
    case 'text':
      return renderText(a, opts);
    case 'markdown':
      return renderMarkdown(a, resolve(opts));
    case 'sarif':
      return renderSarif(a, resolve(opts));
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

function resolve(opts: RenderOptions): ResolvedRenderOptions {
  return { ...opts, rules: opts.rules ?? allRules() };
}
