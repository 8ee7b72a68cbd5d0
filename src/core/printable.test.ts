import { describe, expect, it } from 'vitest';
import { hasUnprintable, printable } from './printable.js';

describe('printable', () => {
  it.each([
    ['apps/web.yaml', 'apps/web.yaml'],
    ['x\ngate: PASSED', 'x\\ngate: PASSED'],
    ['a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['\u001b[2Kerased', '\\x1b[2Kerased'],
    ['\u0007bell\u007f\u0085', '\\x07bell\\x7f\\x85'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['admin\u202e\u2066txt.yaml', 'admin\\u202e\\u2066txt.yaml'],
    ['\ufeffbom', '\\ufeffbom'],
    ['café, 日本, emoji 🚀', 'café, 日本, emoji 🚀'],
  ])('%j -> %j', (input, expected) => {
    expect(printable(input)).toBe(expected);
    expect(hasUnprintable(input)).toBe(input !== expected);
  });
});
