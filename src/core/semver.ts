import type SemverLib from 'semver';

/**
 * semver compiles dozens of regular expressions when it loads: only runs that compare versions
 * should pay for that, so rules get it through this loader instead of a top-level import.
 */
let lib: typeof SemverLib | undefined;

export async function loadSemver(): Promise<typeof SemverLib> {
  if (!lib) {
    const m = (await import('semver')) as unknown as { default?: typeof SemverLib } & typeof SemverLib;
    lib = m.default ?? m;
  }
  return lib;
}

export type { SemVer } from 'semver';
