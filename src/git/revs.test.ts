import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { EMPTY_TREE_SHA1, validateRev } from './revs.js';

describe('validateRev', () => {
  it.each([
    'main',
    'HEAD',
    'HEAD~2',
    'HEAD^',
    'v1.2.3^{commit}',
    'origin/main',
    '@{upstream}',
    'feature/x-y_z+1',
    'c51460f8fe6683452a9d6d82c44dcdca28726271',
    'c51460f',
  ])('accepts %s', (rev) => {
    expect(validateRev(rev, '--base')).toBe(rev);
  });

  const rejected: Array<[string, RegExp]> = [
    ['', /--base: the revision is empty/],
    ['--output=x', /--base: invalid revision "--output=x": a revision cannot start with '-'/],
    ['-x', /cannot start with '-'/],
    ['$(reboot)', /--base: invalid revision "\$\(reboot\)": only letters, digits/],
    ['$(touch canary)', /only letters, digits/],
    ['`id`', /only letters, digits/],
    ['a;b', /only letters, digits/],
    ['a b', /only letters, digits/],
    ['a\nb', /only letters, digits/],
    ['HEAD..x', /--base: invalid revision "HEAD\.\.x": give --base and --head, not a range/],
    ['a...b', /not a range/],
    ['main.lock', /--base: invalid revision "main\.lock"/],
    ['main/', /invalid revision "main\/"/],
    ['a//b', /invalid revision "a\/\/b"/],
    ['x'.repeat(256), /--base: the revision is longer than 255 characters/],
  ];
  it.each(rejected)('rejects %j', (rev, message) => {
    expect(() => validateRev(rev, '--base')).toThrow(UsageError);
    expect(() => validateRev(rev, '--base')).toThrow(message);
  });

  it('names the flag it validates', () => {
    expect(() => validateRev('$(x)', '--head')).toThrow(/^--head: /);
  });
});

describe('EMPTY_TREE_SHA1', () => {
  it("is git's empty tree", () => {
    expect(EMPTY_TREE_SHA1).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });
});
