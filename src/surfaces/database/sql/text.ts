/**
 * Positions in SQL text: lines and columns of byte offsets (the PostgreSQL parser counts UTF-8 bytes),
 * string offsets of byte offsets, and where a statement starts after whitespace and comments.
 */

/** 1-based line and column of a UTF-8 byte offset into `text`. */
export function positionOf(
  text: string,
  byteOffset: number,
  buf = Buffer.from(text, 'utf8'),
): { line: number; column: number } {
  // Counts newlines in the bytes (no copy of the text before the offset), decodes only the last line.
  const end = Math.max(0, Math.min(byteOffset, buf.length));
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, end).length + 1 };
}

/** Skips whitespace and comments from a byte offset: where the statement itself starts. */
export function skipTrivia(buf: Buffer, at: number): number {
  let i = at;
  for (;;) {
    while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
    if (buf[i] === 0x2d && buf[i + 1] === 0x2d) {
      while (i < buf.length && buf[i] !== 0x0a) i++;
    } else if (buf[i] === 0x2f && buf[i + 1] === 0x2a) {
      const end = buf.indexOf('*/', i + 2);
      i = end < 0 ? buf.length : end + 2;
    } else return i;
  }
}

/** Whether the text holds nothing but whitespace and comments (as skipTrivia reads them, on the string). */
export function isBlank(text: string): boolean {
  return skipTriviaText(text, 0) >= text.length;
}

/**
 * String offsets of the UTF-8 byte offsets of a text, for offsets asked in increasing order (each
 * answer decodes only the bytes since the last one; a smaller offset starts again from the start).
 */
export function byteToChar(text: string): (byte: number) => number {
  const buf = Buffer.from(text, 'utf8');
  let byte0 = 0;
  let char0 = 0;
  return (byte) => {
    if (byte < byte0) byte0 = char0 = 0;
    char0 += buf.toString('utf8', byte0, byte).length;
    byte0 = byte;
    return char0;
  };
}

/** skipTrivia on a string (offsets are characters). */
export function skipTriviaText(text: string, at: number): number {
  let i = at;
  const n = text.length;
  for (;;) {
    let c = text.charCodeAt(i);
    while (i < n && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)) c = text.charCodeAt(++i);
    if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else return i;
  }
}
