import { isUtf8 } from 'node:buffer';

/**
 * Where bytes stop being UTF-8: the offset and 1-based line of the first byte sequence that is not
 * (called on data `isUtf8` refused; it walks the bytes once).
 */
export function firstInvalidUtf8(data: Uint8Array): { offset: number; line: number } {
  let line = 1;
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    if (b === 10) line++;
    if (b < 0x80) {
      i++;
      continue;
    }
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    // A bad lead byte, a sequence cut short by the end, or bad continuation bytes.
    if (n < 0 || i + n >= data.length || !isUtf8(data.subarray(i, i + n + 1))) return { offset: i, line };
    i += n + 1;
  }
  return { offset: i, line };
}
