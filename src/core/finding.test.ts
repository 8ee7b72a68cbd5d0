import { describe, expect, it } from 'vitest';
import { classOfFindings, formatMessage } from './finding.js';

describe('formatMessage', () => {
  it.each([
    ['no placeholder', 'plain text', {}, 'plain text'],
    ['one placeholder', 'column {{column}} dropped', { column: 'email' }, 'column email dropped'],
    ['spaces inside the braces', 'table {{ table }}', { table: 'users' }, 'table users'],
    ['at both ends', '{{a}} and {{b}}', { a: 1, b: true }, '1 and true'],
    ['adjacent placeholders', '{{a}}{{b}}', { a: 'x', b: 'y' }, 'xy'],
    ['the same key twice', '{{k}}/{{k}}', { k: 'v' }, 'v/v'],
    ['an unknown key stays visible', 'needs {{missing}} here', {}, 'needs {{missing}} here'],
    ['an unknown key keeps its spelling', 'needs {{ missing }}', { other: 1 }, 'needs {{ missing }}'],
    ['a value with replacement patterns is literal', 'v={{v}}', { v: "$& $1 $$ $'" }, "v=$& $1 $$ $'"],
    ['an inherited property is not a datum', '{{toString}}', {}, '{{toString}}'],
    ['braces that are not a placeholder', '{{ not a key }} {x}', {}, '{{ not a key }} {x}'],
  ])('%s', (_name, template, data, expected) => {
    expect(formatMessage(template, data)).toBe(expected);
    // A second call takes the template's cached parts: the same result.
    expect(formatMessage(template, data)).toBe(expected);
  });
});

describe('classOfFindings', () => {
  const f = (severity: 'info' | 'warning' | 'error', cls: import('./classes.js').RollbackClass) => ({
    severity,
    class: cls,
  });
  it('is the worst class over warnings and errors', () => {
    expect(classOfFindings([f('warning', 'forward-only'), f('error', 'reversible-with-manual-repair')])).toBe(
      'forward-only',
    );
  });
  it('an info finding never sets the class, whatever class it carries for the record', () => {
    expect(classOfFindings([f('info', 'non-recoverable-without-restore')])).toBe('fully-reversible');
    expect(
      classOfFindings([
        f('info', 'non-recoverable-without-restore'),
        f('warning', 'reversible-with-compatibility-window'),
      ]),
    ).toBe('reversible-with-compatibility-window');
  });
  it('is fully-reversible for no findings', () => {
    expect(classOfFindings([])).toBe('fully-reversible');
  });
});
