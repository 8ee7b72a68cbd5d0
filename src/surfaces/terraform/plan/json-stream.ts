/**
 * A streaming JSON scanner that materialises only the parts of a document a caller selects.
 *
 * Plan JSON from `terraform show -json` can be hundreds of megabytes. Loading it with one `JSON.parse`
 * holds the text and the whole object graph at once; this scanner reads chunks as they come from a
 * stream and keeps only what the selector tree asks for:
 *
 * - `object` / `array` selectors descend: the scanner tracks keys and indexes at those levels only;
 * - `capture` selectors materialise one value at a time: its bytes are found by a fast scan (strings,
 *   escapes and brackets only) and handed to the native `JSON.parse`, so one resource change is an
 *   object for as long as its callback runs;
 * - everything else is skipped by the same fast scan, checked for balanced brackets and closed strings
 *   but never decoded.
 *
 * Positions (byte offset, line, 1-based column in bytes) are given for captured values and errors.
 * A document that ends early is reported with the byte offset where it stopped and the path it was in.
 */

export interface Position {
  /** 0-based byte offset in the input. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in bytes. */
  column: number;
}

export interface EmitContext {
  /** Keys and indexes from the root to the value. */
  path: ReadonlyArray<string | number>;
  position: Position;
}

export interface CaptureSelector {
  kind: 'capture';
  /** Receives the materialised value. When the parent is a `record` object, the value is also stored in it. */
  emit?(value: unknown, at: EmitContext): void;
}

export interface ObjectSelector {
  kind: 'object';
  /** Selectors for known keys. */
  keys?: Record<string, Selector>;
  /** Selector for keys not listed in `keys`. */
  any?: Selector;
  /** Chooses the selector of a key not in `keys` at the time it is met (instead of `any`). */
  select?(key: string): Selector | undefined;
  /** Called for every key met at this level (cheap: no value is read). */
  onKey?(key: string): void;
  /** Collect captured children into a record passed to `end`. */
  record?: boolean;
  /** Captures the value instead when it is not an object (`true`, `null`, a string...). */
  primitive?: CaptureSelector;
  end?(record: Record<string, unknown>, at: EmitContext): void;
}

export interface ArraySelector {
  kind: 'array';
  items: Selector;
}

export type Selector = CaptureSelector | ObjectSelector | ArraySelector;

export class JsonStreamError extends Error {
  override name = 'JsonStreamError';
  constructor(
    readonly reason: string,
    readonly position: Position,
    /** Where in the document, e.g. `resource_changes[12].change`; empty at the root. */
    readonly path: string,
    readonly truncated: boolean,
    /** Valid JSON of the wrong shape for the selector: an array where an object is read. */
    readonly shape = false,
  ) {
    super(reason);
  }
}

export interface ScanStats {
  bytes: number;
  captures: number;
  /** The largest single value materialised, in bytes. */
  maxCaptureBytes: number;
  chunks: number;
}

// Frame states
const OBJ_FIRST = 0; // after '{': a key or '}'
const OBJ_KEY = 1; // after ',': a key
const OBJ_COLON = 2;
const VALUE = 3; // a value (object member or array element)
const ARR_FIRST = 4; // after '[': a value or ']'
const AFTER = 5; // after a value: ',' or the closer

interface Frame {
  sel: ObjectSelector | ArraySelector;
  isArray: boolean;
  state: number;
  key: string;
  index: number;
  child: Selector | undefined;
  record: Record<string, unknown> | undefined;
  position: Position | undefined;
}

const T_CONTAINER = 0;
const T_STRING = 1;
const T_PRIMITIVE = 2;

/** A value being skipped or captured, or a key being read, possibly across chunks. */
interface Scan {
  type: number;
  capture: boolean;
  isKey: boolean;
  sel: CaptureSelector | undefined;
  inString: boolean;
  escape: boolean;
  brackets: number[];
  pieces: Buffer[];
  size: number;
  start: number;
  position: Position | undefined;
  /** When the value lies in the current chunk: its byte range there (-1 when it spans chunks). */
  rangeStart: number;
  rangeEnd: number;
}

/** The key of a member no selector asked for (never decoded). */
const SKIPPED_KEY = '\u0000skipped';
const KEY_TABLES = new WeakMap<ObjectSelector, ReadonlyArray<readonly [Buffer, string]>>();

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonStreamScanner {
  readonly stats: ScanStats = { bytes: 0, captures: 0, maxCaptureBytes: 0, chunks: 0 };
  private frames: Frame[] = [];
  /** Frames are reused: a plan has one per descended object, tens of thousands of them. */
  private pool: Frame[] = [];
  private scan: Scan | undefined;
  /** A finished scan kept for reuse (one allocation per value would dominate skipping small values). */
  private spare: Scan | undefined;
  private started = false;
  private done = false;
  private chunkStart = 0;
  private total = 0;
  // Line tracking: `nl` is the next newline of the current chunk not yet counted (-1: none left).
  private nl = -1;
  private line = 1;
  private lineStart = 0;
  private chunk: Buffer = Buffer.alloc(0);

  constructor(private readonly root: Selector) {}

  /** Feeds the next chunk. Throws JsonStreamError on input that is not JSON. */
  push(chunk: Buffer): void {
    this.chunk = chunk;
    this.chunkStart = this.total;
    this.total += chunk.length;
    this.stats.bytes = this.total;
    this.stats.chunks++;
    this.nl = chunk.indexOf(0x0a);
    const n = chunk.length;
    let i = 0;
    if (this.scan) {
      i = this.continueScan(chunk, 0);
      if (i < 0) {
        this.advanceLines(n);
        return;
      }
      this.finishScan();
    }
    while (i < n) {
      const c = chunk[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      const f = this.frames[this.frames.length - 1];
      if (f === undefined) {
        if (this.done) throw this.error(i, 'unexpected data after the end of the JSON document');
        if (!this.started) {
          this.started = true;
          if (this.chunkStart === 0 && i === 0 && c === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
            i += 3; // UTF-8 byte order mark
            continue;
          }
        }
        i = this.startValue(chunk, i, this.root);
        if (i < 0) break;
        continue;
      }
      switch (f.state) {
        case OBJ_FIRST:
          if (c === 0x7d) i = this.closeFrame(i);
          else f.state = OBJ_KEY; // the same byte again, as a key
          continue;
        case OBJ_KEY: {
          if (c !== QUOTE) throw this.error(i, `expected a property name, found ${describe(c)}`);
          // Fast path: the whole key in this chunk, without escapes.
          const q = chunk.indexOf(QUOTE, i + 1);
          let plain = q > 0;
          for (let j = i + 1; plain && j < q; j++) if (chunk[j] === BACKSLASH) plain = false;
          if (plain) {
            const known = this.knownKey(f.sel as ObjectSelector, chunk, i + 1, q);
            this.setKey(f, known ?? chunk.toString('utf8', i + 1, q));
            i = q + 1;
            continue;
          }
          i = this.beginScan(chunk, i, T_STRING, true, true, undefined);
          if (i < 0) break;
          this.finishScan();
          continue;
        }
        case OBJ_COLON:
          if (c !== 0x3a) throw this.error(i, `expected ':' after property name, found ${describe(c)}`);
          f.state = VALUE;
          i++;
          continue;
        case ARR_FIRST:
          if (c === 0x5d) i = this.closeFrame(i);
          else f.state = VALUE; // the same byte again, as a value
          continue;
        case VALUE:
          i = this.startValue(chunk, i, f.child);
          if (i < 0) break;
          continue;
        case AFTER:
          if (c === 0x2c) {
            if (f.isArray) {
              f.index++;
              f.state = VALUE;
            } else f.state = OBJ_KEY;
            i++;
            continue;
          }
          if (c === (f.isArray ? 0x5d : 0x7d)) {
            i = this.closeFrame(i);
            continue;
          }
          throw this.error(i, `expected ',' or '${f.isArray ? ']' : '}'}', found ${describe(c)}`);
      }
      if (i < 0) break;
    }
    this.advanceLines(n);
  }

  /** Signals the end of input. Throws JsonStreamError when the document is empty or incomplete. */
  end(): void {
    if (this.scan && this.scan.type === T_PRIMITIVE) {
      this.finishScan();
    }
    if (!this.started) throw new JsonStreamError('the input is empty', this.positionNow(), '', true);
    if (this.scan || this.frames.length) {
      const where = this.pathString();
      throw new JsonStreamError(
        `the JSON document is truncated: it ends at byte ${this.total}${where ? ` inside ${where}` : ''}`,
        this.positionNow(),
        where,
        true,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------

  private startValue(chunk: Buffer, i: number, sel: Selector | undefined): number {
    const c = chunk[i]!;
    if (c === 0x7b && sel?.kind === 'object') {
      this.pushFrame(sel, false, i);
      return i + 1;
    }
    if (c === 0x5b && sel?.kind === 'array') {
      this.pushFrame(sel, true, i);
      return i + 1;
    }
    if (sel?.kind === 'object' && sel.primitive) sel = sel.primitive;
    // A container read by a selector must be one (null stands for absent): a mistyped field is an
    // error naming it, never a part of the document silently left unread.
    else if ((sel?.kind === 'object' || sel?.kind === 'array') && c !== 0x6e && startsValue(c)) {
      const want = sel.kind === 'array' ? 'an array' : 'an object';
      const p = this.positionAt(i);
      throw new JsonStreamError(`expected ${want}, found ${found(c)}`, p, this.pathString(), false, true);
    }
    let type: number;
    if (c === 0x7b || c === 0x5b) type = T_CONTAINER;
    else if (c === QUOTE) type = T_STRING;
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) type = T_PRIMITIVE;
    else throw this.error(i, `expected a value, found ${describe(c)}`);
    const captureSel = sel?.kind === 'capture' ? sel : undefined;
    const e = this.beginScan(chunk, i, type, captureSel !== undefined, false, captureSel);
    if (e < 0) return -1;
    this.finishScan();
    return e;
  }

  private pushFrame(sel: ObjectSelector | ArraySelector, isArray: boolean, i: number): void {
    const wantsRecord = !isArray && (sel as ObjectSelector).record === true;
    const f = this.pool.pop() ?? ({} as Frame);
    f.sel = sel;
    f.isArray = isArray;
    f.state = isArray ? ARR_FIRST : OBJ_FIRST;
    f.key = '';
    f.index = 0;
    f.child = isArray ? (sel as ArraySelector).items : undefined;
    f.record = wantsRecord ? {} : undefined;
    f.position = wantsRecord && (sel as ObjectSelector).end ? this.positionAt(i) : undefined;
    this.frames.push(f);
  }

  private closeFrame(i: number): number {
    const f = this.frames.pop()!;
    if (!f.isArray) {
      const sel = f.sel as ObjectSelector;
      if (sel.end) sel.end(f.record ?? {}, { path: this.path(), position: f.position ?? this.positionAt(i) });
    }
    f.record = undefined;
    this.pool.push(f);
    this.valueDone();
    return i + 1;
  }

  private valueDone(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent) parent.state = AFTER;
    else this.done = true;
  }

  private beginScan(
    chunk: Buffer,
    i: number,
    type: number,
    capture: boolean,
    isKey: boolean,
    sel: CaptureSelector | undefined,
  ): number {
    const s = this.spare ?? newScan();
    this.spare = undefined;
    s.type = type;
    s.capture = capture;
    s.isKey = isKey;
    s.sel = sel;
    s.inString = false;
    s.escape = false;
    if (s.brackets.length) s.brackets.length = 0;
    if (s.pieces.length) s.pieces.length = 0;
    s.size = 0;
    s.rangeStart = -1;
    s.start = this.chunkStart + i;
    s.position = capture && sel?.emit ? this.positionAt(i) : undefined;
    this.scan = s;
    return this.continueScan(chunk, i);
  }

  /** Scans the current value from `from`; returns the index just past it, or -1 when it continues in the next chunk. */
  private continueScan(chunk: Buffer, from: number): number {
    const s = this.scan!;
    const n = chunk.length;
    const first = Math.max(0, s.start - this.chunkStart);
    let end = -1;
    if (s.type === T_STRING) {
      // The opening quote is at `first` when the scan starts in this chunk.
      const at = s.start >= this.chunkStart ? first + 1 : from;
      end = stringEnd(chunk, at, s);
    } else if (s.type === T_PRIMITIVE) {
      let i = from;
      for (; i < n; i++) {
        const b = chunk[i]!;
        if (b === 0x2c || b === 0x7d || b === 0x5d || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break;
      }
      end = i < n ? i : -1;
    } else {
      end = this.containerEnd(chunk, from, s);
    }
    if (end < 0) {
      if (s.capture || s.isKey) {
        const piece = chunk.subarray(s.start >= this.chunkStart ? first : 0);
        s.pieces.push(piece);
        s.size += piece.length;
      }
      return -1;
    }
    if (s.capture || s.isKey) {
      const from0 = s.start >= this.chunkStart ? first : 0;
      if (s.pieces.length === 0) {
        // The whole value is in this chunk: decoded from it in place, no copy, no view.
        s.rangeStart = from0;
        s.rangeEnd = end;
      } else {
        const piece = chunk.subarray(from0, end);
        s.pieces.push(piece);
        s.size += piece.length;
        s.rangeStart = -1;
      }
    }
    return end;
  }

  private containerEnd(chunk: Buffer, from: number, s: Scan): number {
    const n = chunk.length;
    const st = s.brackets;
    let i = from;
    if (s.inString) {
      const e = stringEnd(chunk, i, s);
      if (e < 0) return -1;
      s.inString = false;
      i = e;
    }
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (b === QUOTE) {
        const e = stringEnd(chunk, i + 1, s);
        if (e < 0) {
          s.inString = true;
          return -1;
        }
        i = e - 1;
      } else if (b === 0x7b) st.push(0x7d);
      else if (b === 0x5b) st.push(0x5d);
      else if (b === 0x7d || b === 0x5d) {
        if (st.pop() !== b) throw this.error(i, `mismatched '${String.fromCharCode(b)}'`);
        if (st.length === 0) return i + 1;
      }
    }
    return -1;
  }

  private finishScan(): void {
    const s = this.scan!;
    this.scan = undefined;
    this.spare = s;
    const f = this.frames[this.frames.length - 1];
    if (s.isKey) {
      this.setKey(
        f!,
        s.rangeStart >= 0
          ? decodeKey(this.chunk, s.rangeStart, s.rangeEnd)
          : decodeKey(Buffer.concat(s.pieces), 0, s.size),
      );
      return;
    }
    if (s.capture) {
      this.stats.captures++;
      const single = s.rangeStart >= 0;
      const size = single ? s.rangeEnd - s.rangeStart : s.size;
      if (size > this.stats.maxCaptureBytes) this.stats.maxCaptureBytes = size;
      const buf = single ? this.chunk : Buffer.concat(s.pieces, s.size);
      const b0 = single ? s.rangeStart : 0;
      const b1 = single ? s.rangeEnd : s.size;
      let value: unknown;
      try {
        value = decodeValue(buf, b0, b1, s.type);
      } catch (e) {
        const m = /position (\d+)/.exec((e as Error).message);
        const off = s.start + (m ? Number(m[1]) : 0);
        throw new JsonStreamError(
          `invalid JSON at byte ${off}: ${(e as Error).message.replace(/ in JSON at position \d+.*$/s, '')}`,
          { offset: off, line: s.position?.line ?? 0, column: s.position?.column ?? 0 },
          this.pathString(),
          false,
        );
      }
      if (f?.record) f.record[f.isArray ? String(f.index) : f.key] = value;
      if (s.sel?.emit) s.sel.emit(value, { path: this.path(), position: s.position ?? this.positionAt(0) });
    }
    this.valueDone();
  }

  /**
   * A key of the selector's `keys` matched on bytes, without decoding: most keys met at a descended level
   * are either one of a few known ones or skipped, and a string per key would be garbage. When the
   * selector needs every key (onKey, select, any), undefined: the caller decodes it.
   */
  private knownKey(sel: ObjectSelector, chunk: Buffer, start: number, end: number): string | undefined {
    if (sel.onKey || sel.select || sel.any || !sel.keys) return undefined;
    let table = KEY_TABLES.get(sel);
    if (!table) KEY_TABLES.set(sel, (table = Object.keys(sel.keys).map((k) => [Buffer.from(k, 'utf8'), k] as const)));
    const n = end - start;
    for (const [bytes, key] of table) {
      if (bytes.length !== n) continue;
      let j = 0;
      while (j < n && bytes[j] === chunk[start + j]) j++;
      if (j === n) return key;
    }
    return SKIPPED_KEY;
  }

  private setKey(f: Frame, key: string): void {
    f.key = key;
    f.state = OBJ_COLON;
    const sel = f.sel as ObjectSelector;
    sel.onKey?.(key);
    f.child =
      sel.keys !== undefined && Object.prototype.hasOwnProperty.call(sel.keys, key)
        ? sel.keys[key]
        : sel.select !== undefined
          ? sel.select(key)
          : sel.any;
  }

  // ---------------------------------------------------------------------------------------------

  private path(): Array<string | number> {
    return this.frames.map((f) => (f.isArray ? f.index : f.key === SKIPPED_KEY ? '?' : f.key));
  }

  private pathString(): string {
    let out = '';
    for (const f of this.frames) {
      if (f.isArray) out += `[${f.index}]`;
      else if (f.state !== OBJ_FIRST || f.key) {
        const k = f.key === SKIPPED_KEY ? '?' : f.key;
        out += out ? `.${k}` : k;
      }
    }
    return out;
  }

  /** Counts the newlines of the current chunk before index `to`; each newline is found once. */
  private advanceLines(to: number): void {
    const chunk = this.chunk;
    while (this.nl >= 0 && this.nl < to) {
      this.line++;
      this.lineStart = this.chunkStart + this.nl + 1;
      this.nl = chunk.indexOf(0x0a, this.nl + 1);
    }
  }

  private positionAt(i: number): Position {
    this.advanceLines(i);
    const offset = this.chunkStart + i;
    return { offset, line: this.line, column: offset - this.lineStart + 1 };
  }

  /** The position just past the bytes pushed so far. */
  get here(): Position {
    return this.positionNow();
  }

  private positionNow(): Position {
    return { offset: this.total, line: this.line, column: this.total - this.lineStart + 1 };
  }

  private error(i: number, reason: string): JsonStreamError {
    const p = this.positionAt(i);
    return new JsonStreamError(
      `${reason} at byte ${p.offset} (line ${p.line}, column ${p.column})`,
      p,
      this.pathString(),
      false,
    );
  }
}

/**
 * Index just past the closing quote of a string whose content starts at `from`, or -1 when the string
 * continues in the next chunk (then `s.escape` says whether the next byte is escaped).
 */
function stringEnd(chunk: Buffer, from: number, s: Scan): number {
  const n = chunk.length;
  let i = from;
  if (s.escape) {
    if (i >= n) return -1;
    s.escape = false;
    i++;
  }
  for (;;) {
    if (i >= n) return -1;
    const q = chunk.indexOf(QUOTE, i);
    if (q < 0) {
      // A run of backslashes at the end of the chunk escapes the first byte of the next one when odd.
      let k = 0;
      for (let j = n - 1; j >= i && chunk[j] === BACKSLASH; j--) k++;
      s.escape = (k & 1) === 1;
      return -1;
    }
    let k = 0;
    for (let j = q - 1; j >= i && chunk[j] === BACKSLASH; j--) k++;
    if ((k & 1) === 0) return q + 1;
    i = q + 1;
  }
}

/** A captured value: strings without escapes and the literals skip JSON.parse (most captures are small). */
function decodeValue(buf: Buffer, start: number, end: number, type: number): unknown {
  const n = end - start;
  if (type === T_STRING && n >= 2) {
    if (!hasBackslash(buf, start, end)) return buf.toString('utf8', start + 1, end - 1);
  } else if (type === T_PRIMITIVE) {
    const c = buf[start];
    if (n === 4 && c === 0x74 && buf[start + 1] === 0x72 && buf[start + 2] === 0x75 && buf[start + 3] === 0x65)
      return true;
    if (n === 5 && c === 0x66 && buf.toString('latin1', start, end) === 'false') return false;
    if (n === 4 && c === 0x6e && buf.toString('latin1', start, end) === 'null') return null;
  }
  return JSON.parse(buf.toString('utf8', start, end));
}

function newScan(): Scan {
  return {
    type: 0,
    capture: false,
    isKey: false,
    sel: undefined,
    inString: false,
    escape: false,
    brackets: [],
    pieces: [],
    size: 0,
    start: 0,
    position: undefined,
    rangeStart: -1,
    rangeEnd: -1,
  };
}

/** A bounded search (Buffer#indexOf would run to the end of a 1 MB chunk for every small value). */
function hasBackslash(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === BACKSLASH) return true;
  return false;
}

function decodeKey(buf: Buffer, start: number, end: number): string {
  if (!hasBackslash(buf, start, end)) return buf.toString('utf8', start + 1, end - 1);
  return JSON.parse(buf.toString('utf8', start, end)) as string;
}

function startsValue(c: number): boolean {
  return c === 0x7b || c === 0x5b || c === QUOTE || c === 0x74 || c === 0x66 || c === 0x2d || (c >= 0x30 && c <= 0x39);
}

/** What a value starting with byte `c` is: `an object`, `a string`... */
function found(c: number): string {
  if (c === 0x7b) return 'an object';
  if (c === 0x5b) return 'an array';
  if (c === QUOTE) return 'a string';
  if (c === 0x74 || c === 0x66) return 'a boolean';
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return 'a number';
  return describe(c);
}

function describe(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Reads a whole stream through a scanner. */
export async function scanStream(input: AsyncIterable<Buffer | string>, root: Selector): Promise<ScanStats> {
  const scanner = new JsonStreamScanner(root);
  for await (const chunk of input) scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  scanner.end();
  return scanner.stats;
}
