import picomatch from 'picomatch';
import { InputError } from './errors.js';

/**
 * Path globs of the config, with picomatch's semantics (the matcher of micromatch, chokidar, fast-glob
 * and tinyglobby): `**` any number of segments, `*` and `?` within one, `[...]` and `[^...]` classes, `{a,b}`
 * alternatives, `@(a|b)` and friends, a leading `./` ignored, dot files matched like any other (a
 * deploy tool applies them too). Paths use `/` and are relative to the repository root.
 *
 * A list of globs reads like a .gitignore: a path is in it when a glob of the list matches it and no
 * `!glob` of the list excludes it (`["apps/**", "!apps/legacy/**"]`); a list of only `!` globs holds
 * every path they do not exclude. (`!(a|b)` is picomatch's extglob, a glob of its own.)
 *
 * A glob picomatch would read as something else than what was meant (an unclosed `[`, `{` or `(`,
 * a leading `/`, a Windows `\` separator) is an error naming the pattern, never a silent non-match.
 */
const cache = new Map<string, (path: string) => boolean>();

/** Why `glob` is not a usable pattern, or undefined when it is. */
export function globProblem(glob: string): string | undefined {
  if (glob.trim() === '') return 'an empty glob matches nothing';
  const body = glob.startsWith('!') && !glob.startsWith('!(') ? glob.slice(1) : glob;
  if (body.startsWith('/')) return 'paths are relative to the repository root: drop the leading /';
  if (/\\(?![*?[\]{}()!+@\\,])/.test(body)) return 'write paths with / (a backslash escapes the next glob character)';
  const open: string[] = [];
  const pairs: Record<string, string> = { ']': '[', '}': '{', ')': '(' };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (open[open.length - 1] === '[') {
      if (c === ']' && body[i - 1] !== '[' && !(body[i - 1] === '^' && body[i - 2] === '[')) open.pop();
      continue;
    }
    if (c === '[' && body[i + 1] === '!')
      return 'picomatch reads [!...] as a class holding "!": write [^...] for the characters it excludes';
    if (c === '[' || c === '{' || c === '(') open.push(c);
    else if (c in pairs) {
      if (open[open.length - 1] !== pairs[c]) return `${c} closes nothing: escape it as \\${c}`;
      open.pop();
    }
  }
  if (open.length) return `${open[open.length - 1]} is never closed: close it or escape it as \\${open[open.length - 1]}`;
  return undefined;
}

/** The matcher of one glob (`!` taken as part of it: it matches what the rest does not). */
function matcherOf(glob: string): (path: string) => boolean {
  let m = cache.get(glob);
  if (m) return m;
  const problem = globProblem(glob);
  if (problem) throw new InputError(`glob ${JSON.stringify(glob)}: ${problem}`);
  // `s`: a file name may hold a newline, and `**` and `*` match it like any other character.
  const re = picomatch.makeRe(glob, { dot: true });
  const withNewlines = new RegExp(re.source, `${re.flags.replace('s', '')}s`);
  m = (path: string) => withNewlines.test(path.startsWith('./') ? path.slice(2) : path);
  cache.set(glob, m);
  return m;
}

export function matchGlob(path: string, glob: string): boolean {
  return matcherOf(glob)(path);
}

/** Whether `path` is in a list of globs: matched by one, and excluded by no `!glob`. */
export function matchAny(path: string, globs: readonly string[]): boolean {
  let included = false;
  let positives = 0;
  for (const g of globs) {
    if (g.startsWith('!') && !g.startsWith('!(')) {
      if (!matcherOf(g.slice(1))(path)) continue;
      return false;
    }
    positives++;
    if (!included && matcherOf(g)(path)) included = true;
  }
  return positives === 0 ? globs.length > 0 : included;
}
