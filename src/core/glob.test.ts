import { describe, expect, it } from 'vitest';
import { matchGlob } from './glob.js';

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
