import { describe, expect, it } from 'vitest';
import { wrap } from './wrap.js';

describe('wrap', () => {
  const cases: Array<{
    name: string;
    text: string;
    width: number;
    indent: number;
    first?: number;
    code?: boolean;
    lines: string[];
  }> = [
    { name: 'fits: one line', text: 'a short message', width: 40, indent: 4, lines: ['a short message'] },
    {
      name: 'breaks at the last space that fits',
      text: 'aaa bbb ccc ddd',
      width: 11,
      indent: 0,
      lines: ['aaa bbb ccc', 'ddd'],
    },
    {
      name: 'continuation lines are indented',
      text: 'aaa bbb ccc ddd',
      width: 10,
      indent: 2,
      lines: ['aaa bbb', '  ccc ddd'],
    },
    {
      name: 'the first line starts after `first` columns',
      text: 'aaa bbb ccc',
      width: 12,
      indent: 2,
      first: 6,
      lines: ['aaa', '  bbb ccc'],
    },
    { name: 'exactly the width fits', text: 'aaaa bbbb', width: 9, indent: 0, lines: ['aaaa bbbb'] },
    {
      name: 'a word longer than the width is never cut',
      text: 'see deploy/prod/very/long/path/to/app.yaml now',
      width: 12,
      indent: 2,
      lines: ['see', '  deploy/prod/very/long/path/to/app.yaml', '  now'],
    },
    {
      name: 'a backtick span is one word with keepCode',
      text: 'run `kubectl rollout undo deploy/web` first',
      width: 20,
      indent: 0,
      code: true,
      lines: ['run', '`kubectl rollout undo deploy/web`', 'first'],
    },
    {
      name: 'without keepCode a backtick span breaks at its spaces',
      text: 'run `kubectl rollout undo` first',
      width: 16,
      indent: 0,
      lines: ['run `kubectl', 'rollout undo`', 'first'],
    },
    {
      name: 'punctuation glued to a span stays with it',
      text: 'value `a b`, then `c`.',
      width: 12,
      indent: 0,
      code: true,
      lines: ['value `a b`,', 'then `c`.'],
    },
    {
      name: 'an unclosed backtick runs to the end',
      text: 'x `a b c',
      width: 4,
      indent: 0,
      code: true,
      lines: ['x', '`a b c'],
    },
    { name: 'runs of spaces collapse', text: 'a   b', width: 10, indent: 0, lines: ['a b'] },
    { name: 'empty text: one empty line', text: '', width: 10, indent: 0, lines: [''] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(wrap(c.text, c.width, c.indent, c.first ?? c.indent, c.code ?? false)).toEqual(c.lines));
  }
});
