/**
 * flags/flag-referenced through the whole `assess` pipeline on a real git repository: the flag
 * definitions are found with the real `git grep`, a code file no other surface reads is searched and
 * still listed as skipped, and every finding carries the data the decision reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess, type Assessment } from '../../testing/engine.js';
import { allRules, surfaces } from '../../registry.js';
import { GitFixture } from '../../testing/git-fixture.js';

const flagd = `{
  "flags": {
    "new-checkout": { "state": "ENABLED", "variants": { "on": true, "off": false }, "defaultVariant": "off" }
  }
}
`;
let repo: GitFixture;
let a: Assessment;

beforeAll(async () => {
  repo = GitFixture.create('rollwright-flags-');
  const base = repo.commit('initial', {
    'deploy/flags/shop.flagd.json': flagd,
    'app/checkout.go': 'package app\n\nfunc Checkout() {}\n',
    'README.md': '# shop\n',
  });
  const head = repo.commit('use the flag', {
    'app/checkout.go': 'package app\n\nfunc Checkout() {\n\tif flag("new-checkout") {\n\t}\n}\n',
    'README.md': '# shop\n\nnew-checkout is behind a flag.\n',
  });
  a = await assess({ repo: repo.dir, base, head, surfaces, rules: allRules() });
}, 240_000);
afterAll(() => repo?.cleanup());

describe('flags referenced by a change (real git)', () => {
  it('names the flag a code file references, with its definition and off variant', () => {
    expect(a.findings.map((f) => [f.rule, f.file, f.line, f.class, f.data])).toEqual([
      [
        'flags/flag-referenced',
        'app/checkout.go',
        4,
        'fully-reversible',
        { flag: 'new-checkout', source: 'deploy/flags/shop.flagd.json', offVariant: 'off', defaultVariant: 'off' },
      ],
    ]);
  });

  it('a code file is still listed as not assessed, and documentation is not searched', () => {
    expect(a.skipped).toEqual([
      { file: 'README.md', reason: 'no surface reads this kind of file' },
      {
        file: 'app/checkout.go',
        reason: 'no surface assesses this kind of file; it was searched for feature flag keys only',
      },
    ]);
  });
});
