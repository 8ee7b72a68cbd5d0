/**
 * Minimal path globs for config: `**` any number of segments (including none), `*` and `?` within
 * one segment, `{a,b}` alternatives. Paths use `/`. Compiled once per pattern.
 */
const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let src = '';
  let i = 0;
  let inBraces = 0;
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          src += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += glob[i + 2] === '/' ? 3 : 2;
          continue;
        }
        src += '[^/]*';
        i += 2;
        continue;
      }
      src += '[^/]*';
    } else if (c === '?') src += '[^/]';
    else if (c === '{') {
      inBraces++;
      src += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces--;
      src += ')';
    } else if (c === ',' && inBraces) src += '|';
    else src += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  re = new RegExp(`^${src}$`, 's'); // `s`: a path may hold a newline, and `**` matches it too
  cache.set(glob, re);
  return re;
}

export function matchGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

export function matchAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => matchGlob(path, g));
}
