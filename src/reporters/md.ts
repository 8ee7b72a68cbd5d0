/**
 * GitHub-flavoured Markdown building blocks that keep untrusted text (messages, paths, declaration
 * fields) inert: no HTML, no table breaks, no stray formatting, no links, mentions or references
 * GitHub would make of it, no control characters.
 */
import { printable } from '../core/printable.js';

/**
 * Escapes text for Markdown, including inside a table cell: control characters become visible
 * escapes (a line break included, so nothing starts a new block), HTML-significant characters
 * entities, and Markdown punctuation is backslash-escaped, with `@`, `://` and `www.` so that GitHub
 * makes no mention or autolink of repository text.
 */
export function escapeText(s: string): string {
  return printable(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#@])/g, '\\$1')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/\b(www)\./gi, '$1\\.');
}

/** Escapes text for a raw HTML context (a `<summary>` line, where Markdown is not parsed). */
export function escapeHtml(s: string): string {
  return printable(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A code span that survives any content: the fence is longer than any backtick run inside, and `|`
 * is escaped so the span can sit in a table cell (GFM splits cells before parsing inline spans).
 */
export function code(s: string): string {
  const text = printable(s);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A link to an http(s) URL; anything else (a source function name) is shown as code. */
export function reference(ref: string): string {
  return /^https?:\/\/\S+$/.test(ref) ? `<${ref.replace(/[<>]/g, encodeURIComponent)}>` : code(ref);
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}
