import type { Assessment } from '../engine/assess.js';
import { renderJson } from './json.js';
import { renderText } from './text.js';

export type Format = 'text' | 'json' | 'markdown' | 'sarif';

export interface RenderOptions {
  color: boolean;
}

/** Reporters are pure functions from an assessment to a string. */
export function render(a: Assessment, format: Format, opts: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(a);
    case 'text':
      return renderText(a, opts);
    default:
      throw new Error(`format ${format} is not implemented yet`);
  }
}
