import type { Assessment } from '../engine/assess.js';
import type { Format, RenderOptions } from './options.js';

/**
 * Renders with only the reporter the format needs loaded: `-o json` never initialises the SARIF
 * reporter (and its hashing) or the rule reference. Same output as `render`.
 */
export async function renderAs(a: Assessment, format: Format, opts: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).renderJson(a);
    case 'text':
      return (await import('./text.js')).renderText(a, opts);
    default:
      return (await import('./index.js')).render(a, format, opts);
  }
}
