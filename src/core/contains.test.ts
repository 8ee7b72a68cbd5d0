import { describe, expect, it } from 'vitest';
import { containsAny, foundIn } from './contains.js';

const names = Array.from({ length: 200 }, (_, i) => `app-${i}-config`);

describe('containsAny', () => {
  it.each([
    // [strings, text, expected]
    [['a', 'b'], 'xxbxx', true],
    [['abc'], 'ab', false],
    [[], 'anything', false],
    [[''], 'anything', true],
    [names, 'configMapRef:\n  name: app-199-config\n', true],
    [names, 'name: app-199-confi', false],
    [names, 'app-42-config', true],
    [names, 'prefix app-7-config', true],
    [names, 'app-1000-config', false],
    [names, '', false],
    [[...names, 'ab'], 'xxab', true],
    [[...names, 'ünïcode-name'], 'a: ünïcode-name', true],
  ] as Array<[string[], string, boolean]>)('%#: finds what some(includes) finds', (strings, text, expected) => {
    expect(containsAny(strings)(text)).toBe(expected);
    expect(strings.some((x) => text.includes(x))).toBe(expected);
  });

  it('agrees with some(includes) on every window of a text (hash collisions are checked)', () => {
    const text = names.slice(0, 50).join(' ') + ' tail';
    const matcher = containsAny(names.slice(100));
    for (let i = 0; i < text.length; i += 7) {
      const t = text.slice(i, i + 40);
      expect(matcher(t)).toBe(names.slice(100).some((x) => t.includes(x)));
    }
  });
});

describe('foundIn', () => {
  it.each([
    [['a', 'b'], 'xxbxxa', ['a', 'b']],
    [names, 'envFrom: app-7-config, app-199-config and app-7-config again', ['app-7-config', 'app-199-config']],
    [names, 'app-1000-config', []],
    [names, '', []],
    [[...names, ''], 'app-3-config', ['app-3-config']],
  ] as Array<[string[], string, string[]]>)('%#: lists what filter(includes) lists', (strings, text, expected) => {
    expect(foundIn(strings)(text)).toEqual(expected);
    expect(strings.filter((x) => x !== '' && text.includes(x))).toEqual(expected);
  });
});
