import type { Assessment } from '../engine/assess.js';
import { allRules } from '../registry.js';
import { renderCodeQuality } from './codequality.js';
import { renderComment } from './comment.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Format, RenderOptions, ResolvedRenderOptions } from './options.js';

export type { Format, RenderOptions, ResolvedRenderOptions };

/** Reporters are pure functions from an assessment to a string. */
export function render(a: Assessment, format: Format, opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(a);
    case 'text':
      return renderText(a, opts);
    case 'markdown':
      return renderMarkdown(a, resolve(opts));
    case 'comment':
      return renderComment(a, resolve(opts));
    case 'sarif':
      return renderSarif(a, resolve(opts));
    case 'codequality':
      return renderCodeQuality(a);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

function resolve(opts: RenderOptions): ResolvedRenderOptions {
  return { ...opts, rules: opts.rules ?? allRules() };
}
