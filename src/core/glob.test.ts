import { describe, expect, it } from 'vitest';
import { globProblem, matchAny, matchGlob } from './glob.js';

describe('matchGlob', () => {
  const cases: Array<[string, string, boolean]> = [
    ['clusters/prod/app.yaml', 'clusters/prod/**', true],
    ['clusters/prod/a/b/app.yaml', 'clusters/prod/**', true],
    ['clusters/production/app.yaml', 'clusters/prod/**', false],
    ['prod/app.yaml', '**/prod/**', true],
    ['apps/web/overlays/prod/kustomization.yaml', '**/prod/**', true],
    ['apps/web/overlays/staging/kustomization.yaml', '**/prod/**', false],
    ['a.yaml', '*.yaml', true],
    ['dir/a.yaml', '*.yaml', false],
    ['dir/a.yaml', '**/*.yaml', true],
    ['a.yml', '**/*.{yaml,yml}', true],
    ['a.json', '**/*.{yaml,yml}', false],
    ['a+b.yaml', 'a+b.yaml', true],
    ['ab.yaml', 'a?.yaml', true],
    // A file name may hold a newline: it does not take the file out of its environment.
    ['prod/x\ny.bin', '**/prod/**', true],
    ['prod\nx/y.bin', '**/prod/**', false],
  ];
  it.each(cases)('%s against %s is %s', (path, glob, expected) => {
    expect(matchGlob(path, glob)).toBe(expected);
  });
});

describe('picomatch semantics', () => {
  const cases: Array<[string, string, boolean]> = [
    ['clusters/prod/a.yaml', './clusters/prod/**', true],
    ['clusters/prod/a.yaml', 'clusters/[ps]rod/**', true],
    ['clusters/qrod/a.yaml', 'clusters/[ps]rod/**', false],
    ['clusters/prod/a.yaml', 'clusters/[^q]rod/**', true],
    ['clusters/qrod/a.yaml', 'clusters/[^q]rod/**', false],
    ['clusters/prod/a.yaml', 'clusters/@(prod|staging)/**', true],
    ['clusters/dev/a.yaml', 'clusters/@(prod|staging)/**', false],
    ['a/.sops.yaml', 'a/*.yaml', true],
    ['clusters/prod/a.yaml', '!clusters/prod/**', false],
    ['clusters/dev/a.yaml', '!clusters/prod/**', true],
    ['a*b.yaml', 'a\\*b.yaml', true],
    ['axb.yaml', 'a\\*b.yaml', false],
  ];
  it.each(cases)('%s against %s is %s', (path, glob, expected) => {
    expect(matchGlob(path, glob)).toBe(expected);
  });

  it('a list reads like .gitignore: a `!glob` excludes what the others include', () => {
    const globs = ['apps/**', '!apps/legacy/**'];
    expect(matchAny('apps/web/a.yaml', globs)).toBe(true);
    expect(matchAny('apps/legacy/a.yaml', globs)).toBe(false);
    expect(matchAny('other/a.yaml', globs)).toBe(false);
    expect(matchAny('other/a.yaml', ['!apps/**'])).toBe(true);
    expect(matchAny('a.yaml', [])).toBe(false);
  });

  it.each([
    ['clusters/[prod/**', '[ is never closed'],
    ['clusters/{prod,staging/**', '{ is never closed'],
    ['clusters/prod}/**', '} closes nothing'],
    ['/clusters/prod/**', 'drop the leading /'],
    ['clusters\\prod\\**', 'write paths with /'],
    ['', 'empty glob'],
    ['clusters/[!q]rod/**', 'write [^...]'],
  ])('%j is an error naming the pattern', (glob, why) => {
    expect(globProblem(glob)).toContain(why);
    expect(() => matchGlob('clusters/prod/a.yaml', glob)).toThrow(`glob ${JSON.stringify(glob)}: `);
  });
});
